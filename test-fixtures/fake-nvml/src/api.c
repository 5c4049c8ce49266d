/* The exported NVML functions: system and device queries. Every device call returns
 * NVML_ERROR_UNINITIALIZED before nvmlInit_v2, NVML_ERROR_INVALID_ARGUMENT for a bad handle or
 * pointer and NVML_ERROR_GPU_IS_LOST once the script says so. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake.h"

#define EXPORT __attribute__((visibility("default")))

struct fake_system fake_sys;
static int init_count;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

void fake_lock(void) { pthread_mutex_lock(&mu); }
void fake_unlock(void) { pthread_mutex_unlock(&mu); }
int fake_initialized(void) { return init_count > 0; }

static int valid(nvmlDevice_t d) {
  for (int i = 0; i < fake_sys.count; i++) {
    if (d == &fake_sys.devices[i]) {
      return 1;
    }
  }
  for (int i = 0; i < FAKE_MAX_DEVICES * FAKE_MAX_MIG; i++) {
    if (d == &fake_sys.mig[i] && d->parent != NULL) {
      return 1;
    }
  }
  return 0;
}

static struct fake_device *physical(nvmlDevice_t d) { return d->parent != NULL ? d->parent : d; }

/* The step of the latest utilisation reading (what a sampling round sees). */
unsigned long fake_cur(nvmlDevice_t d) {
  unsigned long s = physical(d)->step;
  return s == 0 ? 0 : s - 1;
}

static int lost_at(nvmlDevice_t d, unsigned long step) {
  long from = fake_script()->lost_from[physical(d)->index];
  return from >= 0 && (long)step >= from;
}

/* A scripted fault at this step: the error to return (NVML_SUCCESS: none), and how long the
 * call takes first (*slow_ms), taken outside the lock as a stuck driver call would be. */
static nvmlReturn_t fault_at(nvmlDevice_t d, unsigned long step, long *slow_ms) {
  const struct fake_script *s = fake_script();
  int i = physical(d)->index;
  *slow_ms = s->slow_from[i] >= 0 && (long)step >= s->slow_from[i] ? s->slow_ms[i] : 0;
  if (lost_at(d, step)) {
    return NVML_ERROR_GPU_IS_LOST;
  }
  return s->fail_from[i] >= 0 && (long)step >= s->fail_from[i] ? (nvmlReturn_t)s->fail_code[i]
                                                               : NVML_SUCCESS;
}

static void stall(long ms) {
  if (ms > 0) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
  }
}

/* Common checks of every device call; NVML_SUCCESS when the call may go on. */
nvmlReturn_t fake_check(nvmlDevice_t d, const void *out) {
  if (!fake_initialized()) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (!valid(d) || out == NULL) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  /* Under the lock: the XID thread and the sampler call in at once, and a refresh rewrites the
   * script they both read. */
  fake_lock();
  fake_script_refresh();
  long slow;
  nvmlReturn_t r = fault_at(d, fake_cur(d), &slow);
  fake_unlock();
  stall(slow);
  return r;
}

static unsigned int util_now(nvmlDevice_t d) {
  const struct fake_script *s = fake_script();
  int i = physical(d)->index;
  return fake_script_value(s->util[i], s->util_len[i], fake_cur(d));
}

static nvmlReturn_t copy(char *out, unsigned int len, const char *text) {
  if (out == NULL) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  if (strlen(text) + 1 > len) {
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  strcpy(out, text);
  return NVML_SUCCESS;
}

EXPORT const char *nvmlErrorString(nvmlReturn_t r) {
  switch (r) {
#define NVML_RETURN(name, value, text) \
  case NVML_##name:                    \
    return text;
#include "nvml_returns.def"
#undef NVML_RETURN
  }
  return "Unknown Error";
}

EXPORT nvmlReturn_t nvmlInit_v2(void) {
  fake_lock();
  nvmlReturn_t r = NVML_SUCCESS;
  if (init_count == 0 && fake_system_build(getenv("AIPROF_FAKE_NVML_SYSTEM"), &fake_sys) != 0) {
    r = NVML_ERROR_DRIVER_NOT_LOADED;
  } else {
    init_count++;
    fake_script_refresh();
  }
  fake_unlock();
  return r;
}

EXPORT nvmlReturn_t nvmlShutdown(void) {
  fake_lock();
  nvmlReturn_t r = init_count > 0 ? NVML_SUCCESS : NVML_ERROR_UNINITIALIZED;
  if (init_count > 0) {
    init_count--;
  }
  fake_unlock();
  return r;
}

EXPORT nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
  return fake_initialized() ? copy(version, length, "575.57.08") : NVML_ERROR_UNINITIALIZED;
}

EXPORT nvmlReturn_t nvmlSystemGetNVMLVersion(char *version, unsigned int length) {
  return fake_initialized() ? copy(version, length, "12.575.57.08") : NVML_ERROR_UNINITIALIZED;
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
  if (!fake_initialized()) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (count == NULL) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  *count = (unsigned int)fake_sys.count;
  return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
  if (!fake_initialized()) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (device == NULL || index >= (unsigned int)fake_sys.count) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  *device = &fake_sys.devices[index];
  return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetIndex(nvmlDevice_t d, unsigned int *index) {
  nvmlReturn_t r = fake_check(d, index);
  if (r == NVML_SUCCESS) {
    *index = (unsigned int)d->index;
  }
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char *uuid, unsigned int length) {
  nvmlReturn_t r = fake_check(d, uuid);
  return r == NVML_SUCCESS ? copy(uuid, length, d->uuid) : r;
}

EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int length) {
  nvmlReturn_t r = fake_check(d, name);
  return r == NVML_SUCCESS ? copy(name, length, d->name) : r;
}

EXPORT nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t *pci) {
  nvmlReturn_t r = fake_check(d, pci);
  if (r == NVML_SUCCESS) {
    *pci = d->pci;
  }
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u) {
  if (!fake_initialized()) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (!valid(d) || u == NULL) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  if (d->parent != NULL) {
    return NVML_ERROR_NOT_SUPPORTED; /* as on MIG devices */
  }
  fake_lock();
  fake_script_refresh();
  const struct fake_script *s = fake_script();
  long slow;
  nvmlReturn_t r = fault_at(d, d->step, &slow);
  if (r != NVML_SUCCESS) {
    d->step++; /* the round goes on: every other call of it fails too */
  } else {
    u->gpu = fake_script_value(s->util[d->index], s->util_len[d->index], d->step);
    u->memory = fake_script_value(s->memutil[d->index], s->memutil_len[d->index], d->step);
    for (int i = 0; i < s->nxids; i++) {
      if (s->xids[i].device == d->index && s->xids[i].step == (long)d->step) {
        fake_event_post(d, s->xids[i].code);
      }
    }
    unsigned int mw = d->idle_power_mw + u->gpu * (d->power_limit_mw - d->idle_power_mw) / 100;
    d->energy_mj += mw; /* one step is one second of the script */
    d->nvlink_tx_kib += (unsigned long long)u->gpu * 4096 * d->nvlinks;
    d->nvlink_rx_kib += (unsigned long long)u->gpu * 3072 * d->nvlinks;
    d->step++;
  }
  fake_unlock();
  stall(slow);
  return r;
}

static unsigned long long used_bytes(nvmlDevice_t d) {
  const struct fake_script *s = fake_script();
  unsigned long long used = 0;
  for (int i = 0; i < s->nprocs; i++) {
    const struct fake_proc *p = &s->procs[i];
    if (p->device == physical(d)->index && fake_proc_active(p, fake_cur(d)) &&
        (d->parent == NULL || p->gi == d->gpu_instance)) {
      used += p->used_mib * 1024ULL * 1024ULL;
    }
  }
  return used;
}

#ifndef FAKE_NVML_OLD
EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t d, nvmlMemory_v2_t *m) {
  nvmlReturn_t r = fake_check(d, m);
  if (r != NVML_SUCCESS) {
    return r;
  }
  if (m->version != nvmlMemory_v2) {
    return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
  }
  m->total = d->mem_total;
  m->reserved = d->mem_reserved;
  m->used = used_bytes(d);
  m->free = m->total - m->reserved - m->used;
  return NVML_SUCCESS;
}
#endif

/* The v1 layout: total, free, used (reserved counted as used). */
EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, unsigned long long *m) {
  nvmlReturn_t r = fake_check(d, m);
  if (r == NVML_SUCCESS) {
    m[0] = d->mem_total;
    m[2] = used_bytes(d) + d->mem_reserved;
    m[1] = m[0] - m[2];
  }
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *mw) {
  nvmlReturn_t r = fake_check(d, mw);
  if (r == NVML_SUCCESS) {
    *mw = d->idle_power_mw + util_now(d) * (d->power_limit_mw - d->idle_power_mw) / 100;
  }
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t d, unsigned int *mw) {
  nvmlReturn_t r = fake_check(d, mw);
  if (r == NVML_SUCCESS) {
    *mw = d->power_limit_mw;
  }
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t d, unsigned long long *mj) {
  nvmlReturn_t r = fake_check(d, mj);
  if (r == NVML_SUCCESS) {
    *mj = 1000000ULL * (unsigned long long)(physical(d)->index + 1) + physical(d)->energy_mj;
  }
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int *c) {
  nvmlReturn_t r = fake_check(d, c);
  if (r == NVML_SUCCESS) {
    if (sensor != NVML_TEMPERATURE_GPU) {
      return NVML_ERROR_INVALID_ARGUMENT;
    }
    *c = 31 + util_now(d) * 40 / 100;
  }
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned int *mhz) {
  nvmlReturn_t r = fake_check(d, mhz);
  if (r != NVML_SUCCESS) {
    return r;
  }
  unsigned int busy = util_now(d) > 0;
  switch (type) {
    case NVML_CLOCK_GRAPHICS:
    case NVML_CLOCK_SM:
      *mhz = busy ? d->max_sm_mhz : d->idle_sm_mhz;
      return NVML_SUCCESS;
    case NVML_CLOCK_MEM:
      *mhz = d->mem_mhz;
      return NVML_SUCCESS;
    case NVML_CLOCK_VIDEO:
      *mhz = busy ? 1545 : 765;
      return NVML_SUCCESS;
    default:
      return NVML_ERROR_INVALID_ARGUMENT;
  }
}

static unsigned long long reasons(nvmlDevice_t d) {
  unsigned int u = util_now(d);
  return u == 0 ? NVML_CLOCKS_EVENT_REASON_GPU_IDLE
                : u >= 95 ? NVML_CLOCKS_EVENT_REASON_SW_POWER_CAP : 0;
}

#ifndef FAKE_NVML_OLD
EXPORT nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t d,
                                                           unsigned long long *r) {
  nvmlReturn_t rc = fake_check(d, r);
  if (rc == NVML_SUCCESS) {
    *r = reasons(d);
  }
  return rc;
}
#endif

/* The name before driver 535; the same bits. */
EXPORT nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t d,
                                                              unsigned long long *r) {
  nvmlReturn_t rc = fake_check(d, r);
  if (rc == NVML_SUCCESS) {
    *r = reasons(d);
  }
  return rc;
}

EXPORT nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t d, int counter, unsigned int *kbps) {
  nvmlReturn_t r = fake_check(d, kbps);
  if (r == NVML_SUCCESS) {
    if (counter != NVML_PCIE_UTIL_TX_BYTES && counter != NVML_PCIE_UTIL_RX_BYTES) {
      return NVML_ERROR_INVALID_ARGUMENT;
    }
    *kbps = util_now(d) * (counter == NVML_PCIE_UTIL_TX_BYTES ? 120 : 250);
  }
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t d, int count, nvmlFieldValue_t *v) {
  nvmlReturn_t r = fake_check(d, v);
  if (r != NVML_SUCCESS) {
    return r;
  }
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  for (int i = 0; i < count; i++) {
    nvmlFieldValue_t *f = &v[i];
    f->timestamp = (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000;
    f->latencyUsec = 0;
    f->valueType = NVML_VALUE_TYPE_UNSIGNED_LONG_LONG;
    f->nvmlReturn = d->nvlinks == 0 ? NVML_ERROR_NOT_SUPPORTED : NVML_SUCCESS;
    switch (f->fieldId) {
      case NVML_FI_DEV_NVLINK_LINK_COUNT:
        f->value.ullVal = d->nvlinks;
        break;
      case NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX:
        f->value.ullVal = physical(d)->nvlink_tx_kib;
        break;
      case NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_RX:
        f->value.ullVal = physical(d)->nvlink_rx_kib;
        break;
      case NVML_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL:
      case NVML_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL:
      case NVML_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL:
        f->value.ullVal = 0;
        break;
      case NVML_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL:
        f->value.ullVal = 3;
        break;
      default:
        f->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
    }
  }
  return NVML_SUCCESS;
}
