/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The part of the NVTX v3 injection interface this library uses, declared from
 * its documented behaviour (no NVIDIA header is needed to build):
 *
 *   1. An application built with the header-only NVTX v3 API, on its first
 *      NVTX call, dlopen()s the library named by NVTX_INJECTION64_PATH and calls
 *      its exported `int InitializeInjectionNvtx2(get_export_table)`.
 *   2. get_export_table(id) returns the application's export tables: the
 *      callbacks table (id 1) and the version table (id 3).
 *   3. The callbacks table's get_module_function_table(module, &table, &size)
 *      hands out, for a module (core API 1, domain API 5), an array indexed by
 *      callback id whose entries point at the application's implementation
 *      slots. Writing a function into *table[id] routes that NVTX call to it;
 *      slots left alone become no-ops.
 *   4. A non-zero return from the entry point means success; 0 unloads the
 *      library and turns every NVTX call into a no-op.
 *
 * All ids below are fixed by the ABI (values never change; new ones are only
 * appended).
 */
#ifndef AIPROF_NVTX_ABI_H
#define AIPROF_NVTX_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* Export table ids (argument of get_export_table). */
enum aiprof_nvtx_table_id {
	AIPROF_NVTX_TABLE_CALLBACKS = 1,
	AIPROF_NVTX_TABLE_VERSION = 3,
};

/* Callback modules (first argument of get_module_function_table). */
enum aiprof_nvtx_module {
	AIPROF_NVTX_MODULE_CORE = 1,  /* nvtxRangePushA, nvtxRangePop... */
	AIPROF_NVTX_MODULE_CORE2 = 5, /* nvtxDomain* */
};

/* Callback ids of the core module. */
enum aiprof_nvtx_core_id {
	AIPROF_NVTX_CORE_RANGE_PUSH_EX = 8,
	AIPROF_NVTX_CORE_RANGE_PUSH_A = 9,
	AIPROF_NVTX_CORE_RANGE_PUSH_W = 10,
	AIPROF_NVTX_CORE_RANGE_POP = 11,
};

/* Callback ids of the domain module. */
enum aiprof_nvtx_core2_id {
	AIPROF_NVTX_CORE2_DOMAIN_RANGE_PUSH_EX = 4,
	AIPROF_NVTX_CORE2_DOMAIN_RANGE_POP = 5,
	AIPROF_NVTX_CORE2_DOMAIN_REGISTER_STRING_A = 10,
	AIPROF_NVTX_CORE2_DOMAIN_REGISTER_STRING_W = 11,
};

/* How the message of an event-attributes struct is given. */
enum aiprof_nvtx_message_type {
	AIPROF_NVTX_MESSAGE_ASCII = 1,      /* const char * */
	AIPROF_NVTX_MESSAGE_UNICODE = 2,    /* const wchar_t * */
	AIPROF_NVTX_MESSAGE_REGISTERED = 3, /* a handle from a RegisterString call */
};

/* A generic function pointer, and the table of pointers to the application's slots. */
typedef void (*aiprof_nvtx_fn)(void);
typedef aiprof_nvtx_fn **aiprof_nvtx_slots;

typedef const void *(*aiprof_nvtx_get_export_table)(uint32_t table_id);

/* Export table AIPROF_NVTX_TABLE_CALLBACKS. */
struct aiprof_nvtx_callbacks {
	size_t struct_size;
	int (*get_module_function_table)(int module, aiprof_nvtx_slots *table,
					 unsigned int *size);
};

/* Export table AIPROF_NVTX_TABLE_VERSION. */
struct aiprof_nvtx_version {
	size_t struct_size;
	uint32_t version;
	uint32_t reserved;
	void (*set_injection_version)(uint32_t version);
};

/* Event attributes (version 2 and later): what the *Ex calls pass. */
struct aiprof_nvtx_event_attributes {
	uint16_t version;
	uint16_t size; /* sizeof the struct the application was built with */
	uint32_t category;
	int32_t color_type;
	uint32_t color;
	int32_t payload_type;
	int32_t reserved;
	uint64_t payload;
	int32_t message_type; /* enum aiprof_nvtx_message_type */
	union {
		const char *ascii;
		const wchar_t *unicode;
		const void *registered;
	} message;
};

/* Signatures of the callbacks this library installs. */
typedef int (*aiprof_nvtx_push_ex_fn)(const struct aiprof_nvtx_event_attributes *attributes);
typedef int (*aiprof_nvtx_push_a_fn)(const char *message);
typedef int (*aiprof_nvtx_push_w_fn)(const wchar_t *message);
typedef int (*aiprof_nvtx_pop_fn)(void);
typedef int (*aiprof_nvtx_domain_push_ex_fn)(const void *domain,
					     const struct aiprof_nvtx_event_attributes *attributes);
typedef int (*aiprof_nvtx_domain_pop_fn)(const void *domain);
typedef const void *(*aiprof_nvtx_register_a_fn)(const void *domain, const char *string);
typedef const void *(*aiprof_nvtx_register_w_fn)(const void *domain, const wchar_t *string);

/* The entry point the application's NVTX code looks up by name; returns 1 on success. */
int InitializeInjectionNvtx2(aiprof_nvtx_get_export_table get_export_table);

#endif /* AIPROF_NVTX_ABI_H */
