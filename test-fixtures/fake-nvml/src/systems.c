/* Named, realistic systems: dgxh100 (8 x H100 SXM 80GB), a100-mig (one A100 SXM4 40GB in MIG mode
 * with a 3g.20gb and a 2g.10gb instance), nodriver (nvmlInit fails as without a loaded driver). */
#include <stdio.h>
#include <string.h>

#include "fake.h"

#define MIB (1024ULL * 1024ULL)

static void pci(struct fake_device *d, unsigned int bus, unsigned int device_id) {
  d->pci.domain = 0;
  d->pci.bus = bus;
  d->pci.device = 0;
  d->pci.pciDeviceId = device_id;
  d->pci.pciSubSystemId = 0x16c110de;
  snprintf(d->pci.busIdLegacy, sizeof d->pci.busIdLegacy, "0000:%02X:00.0", bus);
  snprintf(d->pci.busId, sizeof d->pci.busId, "00000000:%02X:00.0", bus);
}

static void uuid(char *out, size_t n, const char *prefix, unsigned int seed) {
  snprintf(out, n, "%s-%08x-%04x-%04x-%04x-%012x", prefix, 0x5e1f0000u + seed, 0x1d2c + seed,
           0x4000 + seed, 0x8000 + seed, 0xa1b2c3u * (seed + 1));
}

static void h100(struct fake_device *d, int i) {
  static const unsigned int buses[8] = {0x18, 0x2a, 0x3a, 0x5d, 0x9a, 0xab, 0xba, 0xdb};
  d->index = i;
  snprintf(d->name, sizeof d->name, "NVIDIA H100 80GB HBM3");
  uuid(d->uuid, sizeof d->uuid, "GPU", (unsigned int)i);
  pci(d, buses[i], 0x233010de);
  d->mem_total = 81559ULL * MIB;
  d->mem_reserved = 529ULL * MIB;
  d->idle_power_mw = 69000;
  d->power_limit_mw = 700000;
  d->max_sm_mhz = 1980;
  d->idle_sm_mhz = 345;
  d->mem_mhz = 2619;
  d->nvlinks = 18;
}

static void mig(struct fake_system *s, struct fake_device *parent, int slot, const char *profile,
                unsigned long long mib, unsigned int gi) {
  struct fake_device *m = &s->mig[parent->index * FAKE_MAX_MIG + slot];
  *m = *parent;
  m->mig_mode = 0;
  m->mig_count = 0;
  m->parent = parent;
  m->gpu_instance = gi;
  m->compute_instance = 0;
  m->mem_total = mib * MIB;
  m->mem_reserved = 0;
  m->nvlinks = 0;
  snprintf(m->name, sizeof m->name, "%.64s MIG %.16s", parent->name, profile);
  uuid(m->uuid, sizeof m->uuid, "MIG", 100 + gi);
  parent->mig[slot] = m;
  parent->mig_count = slot + 1;
}

static void a100(struct fake_system *s) {
  struct fake_device *d = &s->devices[0];
  d->index = 0;
  snprintf(d->name, sizeof d->name, "NVIDIA A100-SXM4-40GB");
  uuid(d->uuid, sizeof d->uuid, "GPU", 40);
  pci(d, 0x07, 0x20b010de);
  d->mem_total = 40960ULL * MIB;
  d->mem_reserved = 384ULL * MIB;
  d->idle_power_mw = 52000;
  d->power_limit_mw = 400000;
  d->max_sm_mhz = 1410;
  d->idle_sm_mhz = 210;
  d->mem_mhz = 1215;
  d->nvlinks = 12;
  d->mig_mode = 1;
  mig(s, d, 0, "3g.20gb", 19968, 1);
  mig(s, d, 1, "2g.10gb", 9856, 5);
}

int fake_system_build(const char *name, struct fake_system *s) {
  memset(s, 0, sizeof *s);
  if (name == NULL || name[0] == '\0' || strcmp(name, "dgxh100") == 0) {
    s->name = "dgxh100";
    s->count = 8;
    for (int i = 0; i < 8; i++) {
      h100(&s->devices[i], i);
    }
    return 0;
  }
  if (strcmp(name, "a100-mig") == 0) {
    s->name = "a100-mig";
    s->count = 1;
    a100(s);
    return 0;
  }
  if (strcmp(name, "nodriver") == 0) {
    s->name = "nodriver";
    return -1;
  }
  fprintf(stderr, "fake nvml: unknown AIPROF_FAKE_NVML_SYSTEM '%s' (dgxh100, a100-mig, nodriver)\n",
          name);
  return -1;
}
