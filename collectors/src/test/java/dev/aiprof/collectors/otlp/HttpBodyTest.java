package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.collectors.otlp.HttpBody.Format;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

class HttpBodyTest {
  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void readsPlainAndGzipBodiesUpToTheLimit() throws IOException {
    byte[] data = "0123456789".getBytes();
    assertThat(HttpBody.read(new ByteArrayInputStream(data), false, 10)).isEqualTo(data);
    assertThat(HttpBody.read(new ByteArrayInputStream(gzip(data)), true, 10)).isEqualTo(data);
    assertThatThrownBy(() -> HttpBody.read(new ByteArrayInputStream(data), false, 9))
        .isInstanceOf(HttpBody.TooLargeException.class)
        .hasMessage("the request body is larger than 9 bytes (otlp.max-request-size)");
  }

  @Test
  void theLimitAppliesAfterDecompression() throws IOException {
    byte[] bomb = gzip(new byte[1 << 20]);
    assertThat(bomb.length).isLessThan(10_000);
    assertThatThrownBy(() -> HttpBody.read(new ByteArrayInputStream(bomb), true, 100_000))
        .isInstanceOf(HttpBody.TooLargeException.class);
  }

  @Test
  void corruptGzipIsAZipException() {
    assertThatThrownBy(() -> HttpBody.read(new ByteArrayInputStream("plain".getBytes()), true, 99))
        .isInstanceOf(ZipException.class);
  }

  @Test
  void knowsTheOtlpContentTypesAndEncodings() {
    assertThat(Format.of("application/x-protobuf")).isEqualTo(Format.PROTOBUF);
    assertThat(Format.of("Application/JSON; charset=utf-8")).isEqualTo(Format.JSON);
    assertThat(Format.of("text/plain")).isNull();
    assertThat(Format.of(null)).isNull();
    assertThat(HttpBody.supportedEncoding(null)).isTrue();
    assertThat(HttpBody.supportedEncoding("GZIP")).isTrue();
    assertThat(HttpBody.supportedEncoding("identity")).isTrue();
    assertThat(HttpBody.supportedEncoding("br")).isFalse();
  }
}
