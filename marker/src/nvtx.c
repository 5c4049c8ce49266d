/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * NVTX injection: with NVTX_INJECTION64_PATH=/path/to/libaiprof.so, an
 * application's NVTX v3 range push/pop calls (PyTorch's torch.cuda.nvtx,
 * Megatron, NeMo, nvtx3::scoped_range...) arrive here and are routed to
 * aiprof_nvtx_push / aiprof_nvtx_pop, where the agent's uprobes see them.
 *
 * Routed: nvtxRangePushA/W/Ex, nvtxRangePop, nvtxDomainRangePushEx/Pop, and
 * nvtxDomainRegisterStringA/W (so registered-string messages have names).
 * Everything else (marks, start/end ranges, naming) becomes a no-op.
 * Push/pop return 0: the nesting level is tracked by the agent, not here.
 */
#include <stddef.h>

#include "aiprof.h"
#include "names.h"
#include "nvtx_abi.h"
#include "probe_points.h"

/* The NVTX API version this injection implements. */
#define AIPROF_NVTX_VERSION 3

static const char *message_of(const struct aiprof_nvtx_event_attributes *a, char *buf, size_t cap)
{
	if (!a || a->size < sizeof(*a))
		return "";
	switch (a->message_type) {
	case AIPROF_NVTX_MESSAGE_ASCII:
		return a->message.ascii ? a->message.ascii : "";
	case AIPROF_NVTX_MESSAGE_UNICODE:
		aiprof_utf8_from_wide(buf, cap, a->message.unicode);
		return buf;
	case AIPROF_NVTX_MESSAGE_REGISTERED:
		return aiprof_registered_name(a->message.registered);
	default:
		return "";
	}
}

static int push_a(const char *message)
{
	aiprof_nvtx_push(message ? message : "");
	return 0;
}

static int push_w(const wchar_t *message)
{
	char buf[AIPROF_NAME_MAX];

	aiprof_utf8_from_wide(buf, sizeof(buf), message);
	aiprof_nvtx_push(buf);
	return 0;
}

static int push_ex(const struct aiprof_nvtx_event_attributes *attributes)
{
	char buf[AIPROF_NAME_MAX];

	aiprof_nvtx_push(message_of(attributes, buf, sizeof(buf)));
	return 0;
}

static int pop(void)
{
	aiprof_nvtx_pop();
	return 0;
}

static int domain_push_ex(const void *domain, const struct aiprof_nvtx_event_attributes *attributes)
{
	(void)domain;
	return push_ex(attributes);
}

static int domain_pop(const void *domain)
{
	(void)domain;
	return pop();
}

static const void *register_a(const void *domain, const char *string)
{
	(void)domain;
	return aiprof_register_name(string);
}

static const void *register_w(const void *domain, const wchar_t *string)
{
	char buf[AIPROF_NAME_MAX];

	(void)domain;
	aiprof_utf8_from_wide(buf, sizeof(buf), string);
	return aiprof_register_name(buf);
}

struct route {
	unsigned int id;
	aiprof_nvtx_fn fn;
};

static const struct route core_routes[] = {
	{AIPROF_NVTX_CORE_RANGE_PUSH_EX, (aiprof_nvtx_fn)(aiprof_nvtx_push_ex_fn)push_ex},
	{AIPROF_NVTX_CORE_RANGE_PUSH_A, (aiprof_nvtx_fn)(aiprof_nvtx_push_a_fn)push_a},
	{AIPROF_NVTX_CORE_RANGE_PUSH_W, (aiprof_nvtx_fn)(aiprof_nvtx_push_w_fn)push_w},
	{AIPROF_NVTX_CORE_RANGE_POP, (aiprof_nvtx_fn)(aiprof_nvtx_pop_fn)pop},
};

static const struct route core2_routes[] = {
	{AIPROF_NVTX_CORE2_DOMAIN_RANGE_PUSH_EX,
	 (aiprof_nvtx_fn)(aiprof_nvtx_domain_push_ex_fn)domain_push_ex},
	{AIPROF_NVTX_CORE2_DOMAIN_RANGE_POP, (aiprof_nvtx_fn)(aiprof_nvtx_domain_pop_fn)domain_pop},
	{AIPROF_NVTX_CORE2_DOMAIN_REGISTER_STRING_A,
	 (aiprof_nvtx_fn)(aiprof_nvtx_register_a_fn)register_a},
	{AIPROF_NVTX_CORE2_DOMAIN_REGISTER_STRING_W,
	 (aiprof_nvtx_fn)(aiprof_nvtx_register_w_fn)register_w},
};

/* Writes each route into the application's slot for it; 0 if the module is not offered. */
static int install(const struct aiprof_nvtx_callbacks *callbacks, int module,
		   const struct route *routes, size_t count)
{
	aiprof_nvtx_slots slots = NULL;
	unsigned int size = 0;
	size_t i;

	if (!callbacks->get_module_function_table(module, &slots, &size) || !slots)
		return 0;
	for (i = 0; i < count; i++) {
		if (routes[i].id < size && slots[routes[i].id])
			*slots[routes[i].id] = routes[i].fn;
	}
	return 1;
}

__attribute__((visibility("default"))) int
InitializeInjectionNvtx2(aiprof_nvtx_get_export_table get_export_table)
{
	const struct aiprof_nvtx_callbacks *callbacks;
	const struct aiprof_nvtx_version *version;

	if (!get_export_table)
		return 0;
	callbacks = get_export_table(AIPROF_NVTX_TABLE_CALLBACKS);
	if (!callbacks || callbacks->struct_size < sizeof(*callbacks) ||
	    !callbacks->get_module_function_table)
		return 0;
	version = get_export_table(AIPROF_NVTX_TABLE_VERSION);
	if (version && version->struct_size >= sizeof(*version) && version->set_injection_version)
		version->set_injection_version(AIPROF_NVTX_VERSION);
	if (!install(callbacks, AIPROF_NVTX_MODULE_CORE, core_routes,
		     sizeof(core_routes) / sizeof(core_routes[0])))
		return 0;
	install(callbacks, AIPROF_NVTX_MODULE_CORE2, core2_routes,
		sizeof(core2_routes) / sizeof(core2_routes[0]));
	return 1;
}
