/* XID events: nvmlEventSetCreate, nvmlDeviceRegisterEvents, nvmlEventSetWait_v2, nvmlEventSetFree.
 * The script posts an XID when a device reaches a step; every set that registered the device for
 * NVML_EVENT_TYPE_XID_CRITICAL_ERROR gets it. A wait blocks up to its timeout. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "fake.h"

#define EXPORT __attribute__((visibility("default")))
#define QUEUE 64
#define MAX_SETS 16

struct fake_event_set {
  int used;
  unsigned long long types[FAKE_MAX_DEVICES];
  nvmlEventData_t queue[QUEUE];
  int head, len;
};

static struct fake_event_set sets[MAX_SETS];
static pthread_mutex_t emu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t posted = PTHREAD_COND_INITIALIZER;

void fake_event_post(struct fake_device *d, unsigned long long code) {
  pthread_mutex_lock(&emu);
  for (int i = 0; i < MAX_SETS; i++) {
    struct fake_event_set *s = &sets[i];
    if (s->used && (s->types[d->index] & NVML_EVENT_TYPE_XID_CRITICAL_ERROR) && s->len < QUEUE) {
      nvmlEventData_t *e = &s->queue[(s->head + s->len++) % QUEUE];
      e->device = d;
      e->eventType = NVML_EVENT_TYPE_XID_CRITICAL_ERROR;
      e->eventData = code;
      e->gpuInstanceId = 0xffffffffu;
      e->computeInstanceId = 0xffffffffu;
    }
  }
  pthread_cond_broadcast(&posted);
  pthread_mutex_unlock(&emu);
}

EXPORT nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set) {
  if (!fake_initialized()) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (set == NULL) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  pthread_mutex_lock(&emu);
  nvmlReturn_t r = NVML_ERROR_INSUFFICIENT_RESOURCES;
  for (int i = 0; i < MAX_SETS; i++) {
    if (!sets[i].used) {
      sets[i] = (struct fake_event_set){.used = 1};
      *set = &sets[i];
      r = NVML_SUCCESS;
      break;
    }
  }
  pthread_mutex_unlock(&emu);
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetSupportedEventTypes(nvmlDevice_t d, unsigned long long *types) {
  nvmlReturn_t r = fake_check(d, types);
  if (r == NVML_SUCCESS) {
    *types = NVML_EVENT_TYPE_XID_CRITICAL_ERROR | 0x1ULL | 0x2ULL | 0x4ULL;
  }
  return r;
}

EXPORT nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t d, unsigned long long types,
                                             nvmlEventSet_t set) {
  nvmlReturn_t r = fake_check(d, set);
  if (r != NVML_SUCCESS) {
    return r;
  }
  if (d->parent != NULL) {
    return NVML_ERROR_NOT_SUPPORTED;
  }
  pthread_mutex_lock(&emu);
  set->types[d->index] |= types;
  pthread_mutex_unlock(&emu);
  return NVML_SUCCESS;
}

#ifndef FAKE_NVML_OLD
static nvmlReturn_t wait_for(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeout_ms) {
  if (!fake_initialized()) {
    return NVML_ERROR_UNINITIALIZED;
  }
  if (set == NULL || data == NULL || !set->used) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += timeout_ms / 1000;
  until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&emu);
  int rc = 0;
  while (set->len == 0 && rc != ETIMEDOUT) {
    rc = pthread_cond_timedwait(&posted, &emu, &until);
  }
  nvmlReturn_t r = NVML_ERROR_TIMEOUT;
  if (set->len > 0) {
    *data = set->queue[set->head];
    set->head = (set->head + 1) % QUEUE;
    set->len--;
    r = NVML_SUCCESS;
  }
  pthread_mutex_unlock(&emu);
  return r;
}

EXPORT nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t *data,
                                        unsigned int timeout_ms) {
  return wait_for(set, data, timeout_ms);
}
#endif

EXPORT nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set) {
  if (set == NULL) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  pthread_mutex_lock(&emu);
  set->used = 0;
  pthread_cond_broadcast(&posted);
  pthread_mutex_unlock(&emu);
  return NVML_SUCCESS;
}
