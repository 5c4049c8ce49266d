package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.testing.Libc;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * fentry, kprobe and tracepoint variants of one hook ({@code variants_test.bpf.c}) on this host:
 * where it has fentry or kprobes they must work, where it has not (this project's CI VM has
 * neither) asking for them must be refused as unsupported, naming the feature and the kernel it
 * needs, and the chooser must fall back to the tracepoint.
 */
@Requires(root = true, files = "/sys/kernel/tracing/events/syscalls/sys_enter_read")
@NoBpfLeaks
class VariantsIT {
  private static final Features FEATURES = new FeatureProber().probe();
  private static final ProgramVariants READS =
      ProgramVariants.builder()
          .fentry("read_fentry")
          .kprobe("read_kprobe")
          .tracepoint("read_tracepoint")
          .build();

  /** Independent evidence of kprobes: the kprobe PMU or tracefs's kprobe_events. */
  private static boolean kernelHasKprobes() {
    return Files.exists(Path.of("/sys/bus/event_source/devices/kprobe"))
        || Files.exists(Path.of("/sys/kernel/tracing/kprobe_events"));
  }

  @Test
  void theChooserPicksWhatThisHostRunsAndItCounts() throws IOException {
    String expected =
        FEATURES.has(Feature.FENTRY) ? "fentry" : kernelHasKprobes() ? "kprobe" : "tracepoint";
    try (BpfObject obj = open()) {
      ProgramVariants.Variant v = READS.chooseAndApply(FEATURES, obj);
      assertThat(v.name()).isEqualTo(expected);
      assertThat(obj.program("read_" + expected).autoload()).isTrue();
      assertThat(obj.programs().stream().filter(BpfProgram::autoload)).hasSize(1);
      obj.load();
      try (BpfLink link = obj.program("read_" + expected).attach()) {
        long before = readsSeen(obj);
        Files.readAllBytes(Path.of("/proc/self/stat"));
        assertThat(readsSeen(obj))
            .as("reads by this thread seen by " + expected)
            .isGreaterThan(before);
      }
    }
  }

  @Test
  void aKprobeAttachIsRefusedOnlyWhereTheKernelHasNone() throws IOException {
    assertThat(FEATURES.has(Feature.KPROBE)).as("kprobe probe").isEqualTo(kernelHasKprobes());
    try (BpfObject obj = open()) {
      READS.apply(obj, READS.variants().get(1));
      obj.load();
      BpfProgram p = obj.program("read_kprobe");
      if (kernelHasKprobes()) {
        try (BpfLink link = p.attachKprobe("vfs_read", false)) {
          Files.readAllBytes(Path.of("/proc/self/stat"));
          assertThat(readsSeen(obj)).isPositive();
        }
      } else {
        assertThatThrownBy(() -> p.attachKprobe("vfs_read", false))
            .isInstanceOf(UnsupportedFeatureException.class)
            .hasMessageStartingWith("kprobes is not available")
            .hasMessageContaining("attach read_kprobe to kprobe vfs_read")
            .hasMessageContaining("Linux 4.1 or newer")
            .satisfies(
                e ->
                    assertThat(((UnsupportedFeatureException) e).feature())
                        .isEqualTo(Feature.KPROBE));
        assertThatThrownBy(() -> READS.require(FEATURES, "kprobe"))
            .isInstanceOf(UnsupportedFeatureException.class)
            .hasMessageContaining("Linux 4.1 or newer");
      }
    }
  }

  @Test
  void aFentryProgramIsRefusedOnlyWhereTheHostLacksFentry() throws IOException {
    try (BpfObject obj = open()) {
      READS.apply(obj, READS.variants().get(0));
      if (FEATURES.has(Feature.FENTRY)) {
        obj.load();
        try (BpfLink link = obj.program("read_fentry").attachTrace()) {
          Files.readAllBytes(Path.of("/proc/self/stat"));
          assertThat(readsSeen(obj)).isPositive();
        }
      } else {
        assertThatThrownBy(obj::load)
            .isInstanceOf(UnsupportedFeatureException.class)
            .hasMessageStartingWith("fentry/fexit trampolines is not available")
            .hasMessageContaining("load variants_test program read_fentry")
            .hasMessageContaining("Linux 5.5 or newer")
            .satisfies(
                e ->
                    assertThat(((UnsupportedFeatureException) e).feature())
                        .isEqualTo(Feature.FENTRY));
        assertThatThrownBy(() -> READS.require(FEATURES, "fentry"))
            .isInstanceOf(UnsupportedFeatureException.class)
            .hasMessageContaining("Linux 5.5 or newer");
      }
    }
  }

  private static BpfObject open() {
    BpfObject obj = BpfObject.openResource(VariantsIT.class, "variants_test");
    obj.setConstant("target_tid", Libc.gettid());
    return obj;
  }

  private static long readsSeen(BpfObject obj) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(JAVA_LONG);
      obj.map("reads").lookup(a.allocateFrom(JAVA_INT, 0), v);
      return v.get(JAVA_LONG, 0);
    }
  }
}
