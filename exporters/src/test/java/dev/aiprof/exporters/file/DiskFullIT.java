package dev.aiprof.exporters.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file output on a real full filesystem (a 256 KiB tmpfs): count, keep whole lines, go on. */
@Requires(
    root = true,
    tools = {"mount", "umount"})
class DiskFullIT {
  @TempDir Path tmp;

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
  }

  private static byte[] line(int n) {
    String s = "{\"n\":" + n + ",\"pad\":\"" + "x".repeat(1000) + "\"}";
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFullDiskCostsLinesNotTheAgentAndWritingResumesWhenThereIsRoom() throws Exception {
    Path mnt = Files.createDirectory(tmp.resolve("small"));
    run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt.toString());
    try (RotatingFile f = new RotatingFile(mnt, "metrics", 64 * 1024, 64L << 20, 2)) {
      int n = 0;
      while (f.write(line(n)) && n < 10_000) {
        n++;
      }
      assertThat(n).as("the disk filled up").isLessThan(10_000);
      for (int i = 0; i < 5; i++) {
        assertThat(f.write(line(n + 1 + i))).isFalse();
      }
      assertThat(f.errors()).isEqualTo(6);
      long complete = 0;
      for (Path p : RotatingFile.outputFiles(mnt, "metrics")) {
        List<String> lines = Files.readAllLines(p);
        for (String l : lines) {
          assertThat(l).as("only whole lines").startsWith("{\"n\":").endsWith("\"}");
        }
        complete += lines.size();
        byte[] bytes = Files.readAllBytes(p);
        assertThat(bytes.length == 0 || bytes[bytes.length - 1] == '\n')
            .as("no partial line at the end of " + p)
            .isTrue();
      }
      assertThat(complete).isEqualTo(n);
      Path oldest = RotatingFile.outputFiles(mnt, "metrics").getFirst();
      assertThat(oldest).isNotEqualTo(f.current());
      Files.delete(oldest); // room again
      assertThat(f.write(line(99_999))).as("writing resumes").isTrue();
      assertThat(f.errors()).isEqualTo(6);
    } finally {
      run("umount", mnt.toString());
    }
  }
}
