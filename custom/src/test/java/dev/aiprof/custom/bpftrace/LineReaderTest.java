package dev.aiprof.custom.bpftrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  @Test
  void skipsBlankAndOverlongLinesAndCountsTheLatter() throws Exception {
    String text = "a\n\n" + "x".repeat(50) + "\nbb\n  \nlast";
    LineReader r =
        new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 10);
    assertThat(r.next()).isEqualTo("a");
    assertThat(r.next()).isEqualTo("bb");
    assertThat(r.next()).isEqualTo("last");
    assertThat(r.next()).isNull();
    assertThat(r.overlong()).isEqualTo(1);
  }
}
