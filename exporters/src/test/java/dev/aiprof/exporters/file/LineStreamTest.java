package dev.aiprof.exporters.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineStreamTest {
  @TempDir Path dir;

  @Test
  void linesLongerThanAChunkAndSplitAcrossWritesComeOutWhole() throws Exception {
    RotatingFile f = new RotatingFile(dir, "metrics", 64L << 20, 128L << 20, 1);
    String longLine = "x".repeat(3 * LineStream.CHUNK + 17);
    try (LineStream s = new LineStream(f)) {
      byte[] all =
          ("a\n" + longLine + "\nbc" + "\n\n" + "d".repeat(LineStream.CHUNK) + "\n")
              .getBytes(StandardCharsets.UTF_8);
      for (int off = 0; off < all.length; off += 1000) {
        s.write(all, off, Math.min(1000, all.length - off));
      }
      s.write('e');
      s.write('\n');
    }
    List<String> lines = new ArrayList<>();
    for (Path p : RotatingFile.outputFiles(dir, "metrics")) {
      lines.addAll(Files.readAllLines(p));
    }
    assertThat(lines).containsExactly("a", longLine, "bc", "d".repeat(LineStream.CHUNK), "e");
  }
}
