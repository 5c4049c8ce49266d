package dev.aiprof.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The prober against independent evidence: kernel facilities it must find when the kernel has them.
 * A broken probe cannot hide behind "unsupported" here.
 */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class FeatureProberIT {
  private static final Features FEATURES = new FeatureProber().probe();

  @Test
  void findsWhatEveryBtfKernelNewerThan511Has() {
    // BTF is present (precondition) and the kernel is >= 5.11 wherever aiprof's CI runs: these
    // are not optional kernel options, so "unsupported" would be a prober bug.
    assertThat(kernelAtLeast(5, 11)).as("test host kernel is 5.11+").isTrue();
    for (Feature f :
        new Feature[] {
          Feature.LIBBPF,
          Feature.BTF,
          Feature.TP_BTF,
          Feature.RAW_TP,
          Feature.RINGBUF,
          Feature.TASK_STORAGE,
          Feature.BPF_STATS,
          Feature.BPF_COOKIE,
          Feature.STACK_TRACE
        }) {
      assertThat(FEATURES.result(f).supported())
          .as("%s: %s", f, FEATURES.result(f).detail())
          .isTrue();
    }
  }

  @Test
  void kprobesAndTracepointsAgreeWithTracefs() {
    Path tracing = Path.of("/sys/kernel/tracing");
    assertThat(FEATURES.has(Feature.KPROBE))
        .as(FEATURES.result(Feature.KPROBE).detail())
        .isEqualTo(
            Files.exists(tracing.resolve("kprobe_events"))
                || !Files.exists(tracing.resolve("events")));
    assertThat(FEATURES.has(Feature.TRACEPOINT))
        .as(FEATURES.result(Feature.TRACEPOINT).detail())
        .isEqualTo(Files.exists(tracing.resolve("events/sched/sched_switch/id")));
  }

  @Test
  void perfEventProgramsWorkWhereTheKernelHasSoftwarePerfEvents() {
    if (Files.exists(Path.of("/sys/bus/event_source/devices/software"))) {
      assertThat(FEATURES.has(Feature.PERF_EVENT))
          .as(FEATURES.result(Feature.PERF_EVENT).detail())
          .isTrue();
    }
  }

  @Test
  void theCachedHostProbeAgreesWithAFullProbe() {
    for (Feature f : new Feature[] {Feature.FENTRY, Feature.KPROBE, Feature.PERF_EVENT}) {
      assertThat(FeatureProber.host(f).supported()).as(f.name()).isEqualTo(FEATURES.has(f));
    }
  }

  @Test
  void uprobesWorkWhereTheKernelHasUprobeEvents() {
    Path tracing = Path.of("/sys/kernel/tracing");
    if (Files.exists(tracing.resolve("uprobe_events"))) {
      assertThat(FEATURES.has(Feature.UPROBE))
          .as(FEATURES.result(Feature.UPROBE).detail())
          .isTrue();
    }
  }

  @Test
  void everyResultSaysWhatWasSeen() {
    for (Feature f : Feature.values()) {
      assertThat(FEATURES.result(f).detail()).as(f.name()).isNotBlank().isNotEqualTo("not probed");
    }
  }

  static boolean kernelAtLeast(int major, int minor) {
    String[] v = System.getProperty("os.version").split("[.-]");
    int ma = Integer.parseInt(v[0]);
    int mi = Integer.parseInt(v[1]);
    return ma > major || (ma == major && mi >= minor);
  }
}
