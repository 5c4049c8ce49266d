package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NameCacheTest {
  @Test
  void aRepeatedNameIsTheSameString() {
    NameCache c = new NameCache(16);
    byte[] buf = new byte[64];
    String first = c.intern(buf, put(buf, "forward"));
    String again = c.intern(buf, put(buf, "forward"));
    assertThat(again).isEqualTo("forward").isSameAs(first);
  }

  @Test
  void manyNamesInATinyTableStayCorrect() {
    NameCache c = new NameCache(2);
    byte[] buf = new byte[64];
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 50; i++) {
        assertThat(c.intern(buf, put(buf, "phase-" + i))).isEqualTo("phase-" + i);
      }
    }
    assertThat(c.intern(buf, put(buf, "größe"))).isEqualTo("größe");
    assertThat(c.intern(buf, 0)).isEmpty();
  }

  @Test
  void capacityMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new NameCache(3)).hasMessageContaining("power of two");
  }

  private static int put(byte[] buf, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, buf, 0, b.length);
    return b.length;
  }
}
