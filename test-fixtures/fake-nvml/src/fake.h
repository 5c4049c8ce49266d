/* Internal state of the fake NVML: named systems (systems.c), the test's script (script.c) and the
 * exported C ABI (api.c, events.c). */
#ifndef AIPROF_FAKE_NVML_H
#define AIPROF_FAKE_NVML_H

#include "nvml_abi.h"

#define FAKE_MAX_DEVICES 16
#define FAKE_MAX_MIG 7
#define FAKE_MAX_SEQ 256
#define FAKE_MAX_PROCS 64
#define FAKE_MAX_XIDS 64

struct fake_device {
  int index; /* physical index; MIG devices: the parent's */
  char name[96];
  char uuid[96];
  nvmlPciInfo_t pci;
  unsigned long long mem_total;
  unsigned long long mem_reserved;
  unsigned int idle_power_mw;
  unsigned int power_limit_mw;
  unsigned int max_sm_mhz;
  unsigned int idle_sm_mhz;
  unsigned int mem_mhz;
  unsigned int nvlinks;
  unsigned int mig_mode;
  int mig_count;
  struct fake_device *mig[FAKE_MAX_MIG];
  struct fake_device *parent; /* MIG devices only */
  unsigned int gpu_instance;
  unsigned int compute_instance;
  /* state */
  unsigned long step; /* utilisation readings so far: the device's script position */
  unsigned long long energy_mj;
  unsigned long long nvlink_tx_kib;
  unsigned long long nvlink_rx_kib;
};

struct fake_system {
  const char *name;
  int count;
  struct fake_device devices[FAKE_MAX_DEVICES];
  struct fake_device mig[FAKE_MAX_DEVICES * FAKE_MAX_MIG];
};

/* systems.c */
int fake_system_build(const char *name, struct fake_system *out);

/* script.c: values a test scripts per device (see README.md). */
struct fake_proc {
  int device;
  unsigned int pid;
  unsigned long long used_mib;
  unsigned int sm;
  unsigned int mem;
  long from;
  long to; /* exclusive; -1: open */
  unsigned int gi;
  unsigned int ci;
};

struct fake_script {
  unsigned int util[FAKE_MAX_DEVICES][FAKE_MAX_SEQ];
  int util_len[FAKE_MAX_DEVICES];
  unsigned int memutil[FAKE_MAX_DEVICES][FAKE_MAX_SEQ];
  int memutil_len[FAKE_MAX_DEVICES];
  long lost_from[FAKE_MAX_DEVICES]; /* -1: never */
  long fail_from[FAKE_MAX_DEVICES]; /* -1: never */
  int fail_code[FAKE_MAX_DEVICES];
  long slow_from[FAKE_MAX_DEVICES]; /* -1: never */
  long slow_ms[FAKE_MAX_DEVICES];
  struct fake_proc procs[FAKE_MAX_PROCS];
  int nprocs;
  struct {
    int device;
    unsigned long long code;
    long step;
  } xids[FAKE_MAX_XIDS];
  int nxids;
};

void fake_script_refresh(void);
const struct fake_script *fake_script(void);
unsigned int fake_script_value(const unsigned int *seq, int len, unsigned long step);
int fake_proc_active(const struct fake_proc *p, unsigned long step);

/* events.c */
void fake_event_post(struct fake_device *d, unsigned long long code);

/* api.c */
extern struct fake_system fake_sys;
int fake_initialized(void);
void fake_lock(void);
void fake_unlock(void);
/* The checks of every device call: NVML_SUCCESS when it may go on. */
nvmlReturn_t fake_check(nvmlDevice_t d, const void *out);
/* The step of the device's latest utilisation reading (what one sampling round sees). */
unsigned long fake_cur(nvmlDevice_t d);
#endif
