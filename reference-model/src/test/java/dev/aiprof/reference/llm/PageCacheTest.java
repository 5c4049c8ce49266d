package dev.aiprof.reference.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.reference.llm.gguf.Progress;
import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageCacheTest {
  @TempDir Path dir;

  @Test
  @Requires(tools = "fincore")
  void anEvictedModelHasNoPagesLeftInTheCache() throws Exception {
    Path p =
        SyntheticModel.writeIfAbsent(dir.resolve("m.gguf"), 3, ModelShape.TINY, Progress.NONE)
            .path();
    assertThat(residentPages(p)).as("just written").isPositive();

    assertThat(PageCache.evict(p)).isTrue();

    assertThat(residentPages(p)).as("after eviction").isZero();
  }

  /** Resident pages as util-linux fincore counts them (mincore underneath). */
  private static long residentPages(Path p) throws IOException, InterruptedException {
    Process fincore =
        new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "PAGES", p.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(fincore.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(fincore.waitFor()).as(out).isZero();
    return Long.parseLong(out);
  }
}
