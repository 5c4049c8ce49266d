package dev.aiprof.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The variant choice against fake hosts: nothing is loaded. */
class ProgramVariantsTest {
  private static final ProgramVariants READS =
      ProgramVariants.builder()
          .fentry("read_fentry")
          .kprobe("read_kprobe")
          .tracepoint("read_tracepoint")
          .maps("tp_scratch")
          .build();

  static Features host(Feature... supported) {
    Map<Feature, Features.Result> m = new EnumMap<>(Feature.class);
    for (Feature f : Feature.values()) {
      m.put(f, new Features.Result(f, false, f.name().toLowerCase() + " probe: EPERM"));
    }
    for (Feature f : supported) {
      m.put(f, new Features.Result(f, true, "ok"));
    }
    return new Features(m);
  }

  @Test
  void prefersFentryWhereTheHostHasIt() {
    assertThat(READS.choose(host(Feature.FENTRY, Feature.KPROBE, Feature.TRACEPOINT)).name())
        .isEqualTo("fentry");
  }

  @Test
  void fallsBackToKprobesThenToTheTracepoint() {
    assertThat(READS.choose(host(Feature.KPROBE, Feature.TRACEPOINT)).name()).isEqualTo("kprobe");
    assertThat(READS.choose(host(Feature.TRACEPOINT)).name()).isEqualTo("tracepoint");
    assertThat(READS.choose(host(Feature.TRACEPOINT)).programs())
        .containsExactly("read_tracepoint");
    assertThat(READS.choose(host(Feature.TRACEPOINT)).maps()).containsExactly("tp_scratch");
  }

  @Test
  void aVariantNeedsEveryFeatureItNames() {
    ProgramVariants v =
        ProgramVariants.builder()
            .variant("tp_btf", Set.of(Feature.TP_BTF, Feature.TASK_STORAGE), "a_btf")
            .variant("raw_tp", Set.of(Feature.RAW_TP), "a_raw")
            .build();
    assertThat(v.choose(host(Feature.TP_BTF, Feature.RAW_TP)).name()).isEqualTo("raw_tp");
    assertThat(v.choose(host(Feature.TP_BTF, Feature.TASK_STORAGE)).name()).isEqualTo("tp_btf");
  }

  @Test
  void noVariantNamesTheMostBasicMissingFeatureAndEveryProbe() {
    assertThatThrownBy(() -> READS.choose(host(Feature.UPROBE)))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("no variant works here")
        .hasMessageContaining("fentry (fentry probe: EPERM)")
        .hasMessageContaining("kprobe (kprobe probe: EPERM)")
        .satisfies(
            e ->
                assertThat(((UnsupportedFeatureException) e).feature())
                    .isEqualTo(Feature.TRACEPOINT));
  }

  @Test
  void askingForAVariantTheHostLacksNamesTheFeatureAndItsKernel() {
    Features here = host(Feature.TRACEPOINT);
    assertThatThrownBy(() -> READS.require(here, "fentry"))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageStartingWith("fentry/fexit trampolines is not available")
        .hasMessageContaining("Linux 5.5 or newer")
        .hasMessageContaining("fentry probe: EPERM")
        .satisfies(
            e -> assertThat(((UnsupportedFeatureException) e).feature()).isEqualTo(Feature.FENTRY));
    assertThatThrownBy(() -> READS.require(here, "kprobe"))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("kprobes is not available")
        .hasMessageContaining("Linux 4.1 or newer");
    assertThat(READS.require(here, "tracepoint").name()).isEqualTo("tracepoint");
    assertThatThrownBy(() -> READS.require(here, "uprobe"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderRejectsDuplicatesAndEmptiness() {
    assertThatThrownBy(() -> ProgramVariants.builder().fentry("a").fentry("b"))
        .hasMessageContaining("declared twice");
    assertThatThrownBy(() -> ProgramVariants.builder().build()).hasMessageContaining("no variants");
    assertThatThrownBy(() -> ProgramVariants.builder().maps("m"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusalsSayWhatWasRefusedAndTheKernelItNeeds() {
    UnsupportedFeatureException e =
        UnsupportedFeatureException.refused(
            Feature.KPROBE, "attach p to kprobe vfs_read", Errno.ENOENT);
    assertThat(e)
        .hasMessage(
            "kprobes is not available: this kernel refused to attach p to kprobe vfs_read"
                + " (kprobes need Linux 4.1 or newer): ENOENT (no such file or directory)");
    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
    assertThat(Refusals.featureOf("fentry/vfs_read")).isEqualTo(Feature.FENTRY);
    assertThat(Refusals.featureOf("?fexit/x")).isEqualTo(Feature.FENTRY);
    assertThat(Refusals.featureOf("kretprobe/x")).isEqualTo(Feature.KPROBE);
    assertThat(Refusals.featureOf("tracepoint/syscalls/sys_enter_read")).isNull();
    assertThat(
            Refusals.failedProgram(
                java.util.List.of(
                    "libbpf: prog 'read_fentry': BPF program load failed: Operation not permitted",
                    "libbpf: failed to load object 'x'")))
        .isEqualTo("read_fentry");
  }
}
