/* Running compute processes (the two-call pattern), per-process utilisation samples, and MIG. */
#include <stddef.h>
#include <time.h>

#include "fake.h"

#define EXPORT __attribute__((visibility("default")))

#ifndef FAKE_NVML_OLD
static int mine(nvmlDevice_t d, const struct fake_proc *p) {
  const struct fake_device *phys = d->parent != NULL ? d->parent : d;
  return p->device == phys->index && fake_proc_active(p, fake_cur(d)) &&
         (d->parent == NULL || p->gi == d->gpu_instance);
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t d, unsigned int *count,
                                                            nvmlProcessInfo_t *infos) {
  nvmlReturn_t r = fake_check(d, count);
  if (r != NVML_SUCCESS) {
    return r;
  }
  const struct fake_script *s = fake_script();
  unsigned int n = 0;
  for (int i = 0; i < s->nprocs; i++) {
    n += mine(d, &s->procs[i]);
  }
  if (n > *count || (n > 0 && infos == NULL)) {
    *count = n;
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  unsigned int k = 0;
  for (int i = 0; i < s->nprocs; i++) {
    const struct fake_proc *p = &s->procs[i];
    if (mine(d, p)) {
      infos[k].pid = p->pid;
      infos[k].usedGpuMemory = p->used_mib * 1024ULL * 1024ULL;
      infos[k].gpuInstanceId = p->gi;
      infos[k].computeInstanceId = p->ci;
      k++;
    }
  }
  *count = n;
  return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t d,
                                                    nvmlProcessUtilizationSample_t *samples,
                                                    unsigned int *count,
                                                    unsigned long long lastSeen) {
  nvmlReturn_t r = fake_check(d, count);
  if (r != NVML_SUCCESS) {
    return r;
  }
  if (d->parent != NULL || d->mig_mode == 1) {
    return NVML_ERROR_NOT_SUPPORTED; /* not on MIG */
  }
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  unsigned long long us = (unsigned long long)now.tv_sec * 1000000ULL + now.tv_nsec / 1000;
  const struct fake_script *s = fake_script();
  unsigned int n = 0;
  for (int i = 0; i < s->nprocs; i++) {
    n += mine(d, &s->procs[i]);
  }
  if (n == 0 || lastSeen >= us) {
    return NVML_ERROR_NOT_FOUND;
  }
  if (samples == NULL || *count < n) {
    *count = n;
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  unsigned int k = 0;
  for (int i = 0; i < s->nprocs; i++) {
    const struct fake_proc *p = &s->procs[i];
    if (mine(d, p)) {
      samples[k].pid = p->pid;
      samples[k].timeStamp = us;
      samples[k].smUtil = p->sm;
      samples[k].memUtil = p->mem;
      samples[k].encUtil = 0;
      samples[k].decUtil = 0;
      k++;
    }
  }
  *count = n;
  return NVML_SUCCESS;
}
#endif

EXPORT nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t d, unsigned int *current,
                                         unsigned int *pending) {
  nvmlReturn_t r = fake_check(d, current);
  if (r != NVML_SUCCESS || pending == NULL) {
    return r != NVML_SUCCESS ? r : NVML_ERROR_INVALID_ARGUMENT;
  }
  if (d->parent != NULL) {
    return NVML_ERROR_NOT_SUPPORTED;
  }
  *current = d->mig_mode;
  *pending = d->mig_mode;
  return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t d, unsigned int *count) {
  nvmlReturn_t r = fake_check(d, count);
  if (r == NVML_SUCCESS) {
    *count = d->parent != NULL ? 0 : FAKE_MAX_MIG;
  }
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t d, unsigned int index,
                                                        nvmlDevice_t *mig) {
  nvmlReturn_t r = fake_check(d, mig);
  if (r != NVML_SUCCESS) {
    return r;
  }
  if (d->parent != NULL || d->mig_mode != 1) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  if (index >= FAKE_MAX_MIG) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  if ((int)index >= d->mig_count) {
    return NVML_ERROR_NOT_FOUND;
  }
  *mig = d->mig[index];
  return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t d, unsigned int *id) {
  nvmlReturn_t r = fake_check(d, id);
  if (r == NVML_SUCCESS) {
    if (d->parent == NULL) {
      return NVML_ERROR_NOT_SUPPORTED;
    }
    *id = d->gpu_instance;
  }
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeInstanceId(nvmlDevice_t d, unsigned int *id) {
  nvmlReturn_t r = fake_check(d, id);
  if (r == NVML_SUCCESS) {
    if (d->parent == NULL) {
      return NVML_ERROR_NOT_SUPPORTED;
    }
    *id = d->compute_instance;
  }
  return r;
}
