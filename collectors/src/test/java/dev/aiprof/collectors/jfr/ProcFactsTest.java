package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcFactsTest {
  private static final String CONTAINER_STATUS =
      """
      Name:\tjava
      Umask:\t0022
      State:\tS (sleeping)
      Tgid:\t5901
      Pid:\t5901
      Uid:\t0\t65534\t65534\t65534
      Gid:\t65534\t65534\t65534\t65534
      NSpid:\t5901\t1
      """;

  @Test
  void namespacePidIsTheInnermost() {
    assertThat(ProcFacts.nsPid(CONTAINER_STATUS)).hasValue(1);
    assertThat(ProcFacts.nsPid("NSpid:\t42\n")).hasValue(42);
    assertThat(ProcFacts.nsPid("Name:\told-kernel\n")).isEmpty();
  }

  @Test
  void effectiveUidIsTheSecondValue() {
    assertThat(ProcFacts.effectiveUid(CONTAINER_STATUS)).hasValue(65534);
  }

  @Test
  void startTimeIsField22EvenWithSpacesAndParensInTheName() {
    String stat =
        "5901 (java (a) b) S 5900 5901 5900 0 -1 4194560 9 0 0 0 1 2 0 0 20 0 19 0 987654 "
            + "4000000 3000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    assertThat(ProcFacts.startTime(stat)).hasValue(987654);
    assertThat(ProcFacts.startTime("garbage")).isEmpty();
  }

  @Test
  void libjvmIsRecognisedByItsFileName() {
    assertThat(
            ProcFacts.mapsLibjvm(
                "7f2c00000000-7f2c00200000 r-xp 00000000 08:01 123 "
                    + "/usr/lib/jvm/temurin-25-jdk-amd64/lib/server/libjvm.so"))
        .isTrue();
    assertThat(ProcFacts.mapsLibjvm("7f2c0-7f2c2 r-xp 0 08:01 9 /usr/lib/libjvmti-helper.so"))
        .isFalse();
  }
}
