package dev.aiprof.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BpfLoadExceptionTest {
  @Test
  void theMessageNamesTheProgramAndTheVerifiersReason() {
    String log =
        "0: R1=ctx() R10=fp0\n"
            + "0: (61) r0 = *(u32 *)(r2 +0)\n"
            + "R2 !read_ok\n"
            + "processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0\n";
    BpfLoadException e = new BpfLoadException("sched", "on_switch", 13, log);
    assertThat(e.getMessage())
        .isEqualTo(
            "load sched program on_switch, rejected by the verifier (R2 !read_ok): EACCES"
                + " (permission denied)");
  }

  @Test
  void withoutAProgramOrALogNoReason() {
    assertThat(new BpfLoadException("sched", null, 22, "libbpf: x").getMessage())
        .isEqualTo("load sched: EINVAL (invalid argument)");
    assertThat(new BpfLoadException("sched", "p", 22, "").getMessage())
        .isEqualTo("load sched program p: EINVAL (invalid argument)");
  }
}
