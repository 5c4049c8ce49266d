package dev.aiprof.exporters.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileTest {
  @TempDir Path dir;
  private final AtomicLong seconds = new AtomicLong(1_700_000_000L);

  private RotatingFile file(String prefix, long maxFile, long maxTotal) {
    return new RotatingFile(
        dir, prefix, maxFile, maxTotal, 2, () -> Instant.ofEpochSecond(seconds.incrementAndGet()));
  }

  private static byte[] line(int n) {
    return ("{\"n\":" + n + ",\"pad\":\"" + "x".repeat(80) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static long total(List<Path> files) throws IOException {
    long t = 0;
    for (Path f : files) {
      t += Files.size(f);
    }
    return t;
  }

  @Test
  void rotatesBetweenLinesAndKeepsItsShareOfTheCap() throws IOException {
    try (RotatingFile f = file("metrics", 1000, 4000)) {
      for (int i = 0; i < 200; i++) {
        assertThat(f.write(line(i))).isTrue();
        List<Path> files = RotatingFile.outputFiles(dir, "metrics");
        assertThat(total(files))
            .as("metrics keep within their half of the cap")
            .isLessThanOrEqualTo(2000);
      }
      List<Path> files = RotatingFile.outputFiles(dir, "metrics");
      assertThat(files.size()).isGreaterThan(1);
      assertThat(f.deleted()).isPositive();
      for (Path p : files) {
        assertThat(Files.size(p)).isLessThanOrEqualTo(1000);
        for (String l : Files.readAllLines(p)) {
          assertThat(l).startsWith("{\"n\":").endsWith("\"}");
        }
      }
      List<String> last = Files.readAllLines(files.getLast());
      assertThat(last.getLast()).startsWith("{\"n\":199,");
    }
  }

  @Test
  void neverDeletesAnotherSignalsFiles() throws IOException {
    try (RotatingFile traces = file("traces", 1000, 4000);
        RotatingFile metrics = file("metrics", 1000, 4000)) {
      traces.write(line(0));
      Path tracesFile = traces.current();
      for (int i = 0; i < 300; i++) {
        metrics.write(line(i));
      }
      assertThat(tracesFile).exists();
      assertThat(
              total(RotatingFile.outputFiles(dir, "traces"))
                  + total(RotatingFile.outputFiles(dir, "metrics")))
          .isLessThanOrEqualTo(4000);
    }
  }

  @Test
  void oldFilesOfAnEarlierRunCountTowardsTheCap() throws IOException {
    for (int i = 0; i < 5; i++) {
      Files.write(dir.resolve("metrics-20200101T00000" + i + "Z-1.jsonl"), new byte[900]);
    }
    Files.writeString(dir.resolve("notes.txt"), "not ours");
    try (RotatingFile f = file("metrics", 1000, 4000)) {
      f.write(line(1));
    }
    assertThat(total(RotatingFile.outputFiles(dir, "metrics"))).isLessThanOrEqualTo(2000);
    assertThat(dir.resolve("notes.txt")).exists();
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsCountedNotThrown() throws IOException {
    Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a directory");
    try (RotatingFile f = new RotatingFile(blocker.resolve("sub"), "traces", 1000, 4000, 2)) {
      assertThat(f.write(line(1))).isFalse();
      assertThat(f.write(line(2))).isFalse();
      assertThat(f.errors()).isEqualTo(2);
    }
  }

  @Test
  void capsThatCannotHoldOneFilePerSignalAreRefused() {
    assertThatThrownBy(() -> file("traces", 1000, 1500)).hasMessageContaining("must hold");
  }

  @Test
  void writesAfterCloseAreRefused() {
    RotatingFile f = file("traces", 1000, 4000);
    f.close();
    assertThat(f.write(line(1))).isFalse();
  }
}
