package dev.aiprof.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoTest {
  @Test
  void describesKnownErrnosBySignEitherWay() {
    assertThat(Errno.describe(1)).isEqualTo("EPERM (operation not permitted)");
    assertThat(Errno.describe(-22)).isEqualTo("EINVAL (invalid argument)");
    assertThat(Errno.name(524)).isEqualTo("ENOTSUPP");
  }

  @Test
  void unknownErrnoKeepsItsNumber() {
    assertThat(Errno.describe(4242)).isEqualTo("errno 4242");
  }

  @Test
  void exceptionMessageNamesWhatAndWhy() {
    BpfException e = new BpfException("attach sched_switch_btf", -1);
    assertThat(e.getMessage())
        .isEqualTo("attach sched_switch_btf: EPERM (operation not permitted)");
    assertThat(e.errno()).isEqualTo(1);
  }

  @Test
  void loadExceptionKeepsTheVerifierLogTail() {
    BpfLoadException e = new BpfLoadException("x", "prog", 13, "a\nb\nc\nR1 invalid mem access\n");
    assertThat(e.verifierLogTail(2)).isEqualTo("c\nR1 invalid mem access");
    assertThat(e.getMessage())
        .startsWith(
            "load x program prog, rejected by the verifier (R1 invalid mem access): EACCES");
  }
}
