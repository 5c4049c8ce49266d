/* The test's script: a text file named by AIPROF_FAKE_NVML_SCRIPT, read again whenever it changes
 * (a test may rewrite it while the agent samples). A device's step is the number of utilisation
 * readings of it so far. Lines ('#' starts a comment):
 *   util DEV V0,V1,...        GPU utilisation (%) at steps 0,1,...; the last value holds
 *   memutil DEV V0,V1,...     memory-controller utilisation (%)
 *   proc DEV PID MIB SM MEM [FROM [TO [GI CI]]]  a compute process from step FROM to TO (excl.; -1 open)
 *   xid DEV CODE STEP         an XID event when the device reaches STEP
 *   lost DEV STEP             from STEP on, every call on the device returns GPU_IS_LOST
 *   fail DEV STEP CODE        from STEP on, every call on the device returns CODE (10: TIMEOUT)
 *   slow DEV STEP MS          from STEP on, every call on the device takes MS ms (a stuck driver) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fake.h"

static struct fake_script current;
static struct timespec seen_mtime;
static off_t seen_size = -1;

static int parse_seq(char *text, unsigned int *out) {
  int n = 0;
  for (char *tok = strtok(text, ","); tok != NULL && n < FAKE_MAX_SEQ; tok = strtok(NULL, ",")) {
    out[n++] = (unsigned int)strtoul(tok, NULL, 10);
  }
  return n;
}

static void parse_line(char *line, struct fake_script *s) {
  char kind[16], rest[4096];
  int dev;
  if (sscanf(line, "%15s %d %4095[^\n]", kind, &dev, rest) < 2 || dev < 0 || dev >= FAKE_MAX_DEVICES) {
    return;
  }
  if (strcmp(kind, "util") == 0) {
    s->util_len[dev] = parse_seq(rest, s->util[dev]);
  } else if (strcmp(kind, "memutil") == 0) {
    s->memutil_len[dev] = parse_seq(rest, s->memutil[dev]);
  } else if (strcmp(kind, "lost") == 0) {
    s->lost_from[dev] = strtol(rest, NULL, 10);
  } else if (strcmp(kind, "fail") == 0) {
    if (sscanf(rest, "%ld %d", &s->fail_from[dev], &s->fail_code[dev]) != 2) {
      s->fail_from[dev] = -1;
    }
  } else if (strcmp(kind, "slow") == 0) {
    if (sscanf(rest, "%ld %ld", &s->slow_from[dev], &s->slow_ms[dev]) != 2) {
      s->slow_from[dev] = -1;
    }
  } else if (strcmp(kind, "xid") == 0 && s->nxids < FAKE_MAX_XIDS) {
    unsigned long long code;
    long step;
    if (sscanf(rest, "%llu %ld", &code, &step) == 2) {
      s->xids[s->nxids].device = dev;
      s->xids[s->nxids].code = code;
      s->xids[s->nxids].step = step;
      s->nxids++;
    }
  } else if (strcmp(kind, "proc") == 0 && s->nprocs < FAKE_MAX_PROCS) {
    struct fake_proc p = {.device = dev, .from = 0, .to = -1, .gi = 0xffffffffu, .ci = 0xffffffffu};
    if (sscanf(rest, "%u %llu %u %u %ld %ld %u %u", &p.pid, &p.used_mib, &p.sm, &p.mem, &p.from,
               &p.to, &p.gi, &p.ci) >= 4) {
      s->procs[s->nprocs++] = p;
    }
  }
}

static void load(const char *path) {
  struct fake_script s;
  memset(&s, 0, sizeof s);
  for (int i = 0; i < FAKE_MAX_DEVICES; i++) {
    s.lost_from[i] = s.fail_from[i] = s.slow_from[i] = -1;
  }
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    return; /* keep the last script: a test may be replacing the file */
  }
  char line[4096];
  while (fgets(line, sizeof line, f) != NULL) {
    char *hash = strchr(line, '#');
    if (hash != NULL) {
      *hash = '\0';
    }
    parse_line(line, &s);
  }
  fclose(f);
  current = s;
}

static void reset(void) {
  memset(&current, 0, sizeof current);
  for (int i = 0; i < FAKE_MAX_DEVICES; i++) {
    current.lost_from[i] = current.fail_from[i] = current.slow_from[i] = -1;
  }
}

void fake_script_refresh(void) {
  static char seen_path[4096];
  const char *path = getenv("AIPROF_FAKE_NVML_SCRIPT");
  struct stat st;
  if (path == NULL || stat(path, &st) != 0) {
    if (seen_size != -2 && (path == NULL || strcmp(path, seen_path) != 0)) {
      reset(); /* no script (a missing file being replaced keeps the last one) */
      seen_size = -2;
    }
    return;
  }
  if (strcmp(path, seen_path) == 0 && st.st_size == seen_size &&
      st.st_mtim.tv_sec == seen_mtime.tv_sec && st.st_mtim.tv_nsec == seen_mtime.tv_nsec) {
    return;
  }
  snprintf(seen_path, sizeof seen_path, "%s", path);
  seen_size = st.st_size;
  seen_mtime = st.st_mtim;
  load(path);
}

const struct fake_script *fake_script(void) { return &current; }

unsigned int fake_script_value(const unsigned int *seq, int len, unsigned long step) {
  if (len <= 0) {
    return 0;
  }
  return seq[step < (unsigned long)len ? step : (unsigned long)len - 1];
}

int fake_proc_active(const struct fake_proc *p, unsigned long step) {
  return (long)step >= p->from && (p->to < 0 || (long)step < p->to);
}
