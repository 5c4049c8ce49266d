/*
 * NVTX v3 ranges through every routed call (push A/W/Ex, domain push with a
 * registered string, pops), with an aiprof marker phase around them: run with
 * NVTX_INJECTION64_PATH=libaiprof.so. nvtxInitialize loads the injection before
 * "ready", so the test can attach before the first range.
 */
#define _GNU_SOURCE /* gettid */
#include <nvtx3/nvToolsExt.h>
#include <wchar.h>

#include "aiprof.h"
#include "trace.h"

static nvtxEventAttributes_t attributes(void)
{
	nvtxEventAttributes_t a;

	memset(&a, 0, sizeof(a));
	a.version = NVTX_VERSION;
	a.size = NVTX_EVENT_ATTRIB_STRUCT_SIZE;
	return a;
}

int main(void)
{
	nvtxEventAttributes_t a = attributes();
	nvtxDomainHandle_t domain;
	nvtxStringHandle_t registered;

	printf("pid=%d abi=%d\n", getpid(), aiprof_abi_version());
	nvtxInitialize(NULL);
	domain = nvtxDomainCreateA("aiprof-test");
	registered = nvtxDomainRegisterStringA(domain, "registered");
	handshake("ready", "go");
	TRACED("begin", "train", "marker", aiprof_phase_begin("train"));
	TRACED("begin", "ascii", "nvtx", nvtxRangePushA("ascii"));
	TRACED("begin", "wide-é", "nvtx", nvtxRangePushW(L"wide-é"));
	a.messageType = NVTX_MESSAGE_TYPE_ASCII;
	a.message.ascii = "ex";
	TRACED("begin", "ex", "nvtx", nvtxRangePushEx(&a));
	a.messageType = NVTX_MESSAGE_TYPE_REGISTERED;
	a.message.registered = registered;
	TRACED("begin", "registered", "nvtx", nvtxDomainRangePushEx(domain, &a));
	sleep_ms(2);
	TRACED("end", "registered", "nvtx", nvtxDomainRangePop(domain));
	TRACED("end", "ex", "nvtx", nvtxRangePop());
	TRACED("end", "wide-é", "nvtx", nvtxRangePop());
	TRACED("end", "ascii", "nvtx", nvtxRangePop());
	TRACED("end", "train", "marker", aiprof_phase_end());
	handshake("done", "exit");
	return 0;
}
