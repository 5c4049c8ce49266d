package dev.aiprof.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Uprobe locations, without a kernel. */
class UprobeTest {
  @Test
  void uprobesAtOffsetsNeedAPositiveOffsetAndKeepIt() {
    Path lib = Path.of("/lib/libx.so");
    Uprobe u = Uprobe.atOffset(lib, 0x1234).withPid(7).withCookie(3).asReturnProbe();
    assertThat(u.offset()).isEqualTo(0x1234);
    assertThat(u.pid()).isEqualTo(7);
    assertThat(u.cookie()).isEqualTo(3);
    assertThat(u.returnProbe()).isTrue();
    assertThat(u.location()).isEqualTo("/lib/libx.so:0x1234");
    assertThat(new Uprobe(lib, "f", -1, false, 0, 0x10).location())
        .isEqualTo("/lib/libx.so:f+0x10");
    assertThat(Uprobe.entry(lib, "f").offset()).isZero();
    assertThatThrownBy(() -> Uprobe.atOffset(lib, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Uprobe(null, "f", -1, false, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
