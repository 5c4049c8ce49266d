package dev.aiprof.reference.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.settings.SettingException;
import dev.aiprof.reference.llm.gguf.Progress;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorsTest {
  @TempDir Path dir;

  @Test
  void theDefaultEngineIsJavaAndLoadProgressEndsAtTheDataSize() throws IOException {
    Path p =
        SyntheticModel.writeIfAbsent(dir.resolve("m.gguf"), 2, ModelShape.TINY, Progress.NONE)
            .path();
    List<long[]> reports = new ArrayList<>();

    try (Generator g =
        Generators.open(p, null, (done, total) -> reports.add(new long[] {done, total}))) {
      assertThat(g.engine()).isEqualTo("aiprof-java");
      assertThat(g.model()).isEqualTo(SyntheticModel.NAME);
      assertThat(g.isEnd(g.prefill(g.tokenizer().encode("hello")))).isFalse();
    }
    long[] last = reports.getLast();
    assertThat(last[0]).isEqualTo(last[1]).isPositive();
  }

  @Test
  void anUnknownEngineOrAMissingFileIsRefusedWithTheFix() {
    assertThatThrownBy(() -> Generators.open(dir.resolve("none.gguf"), "java"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("write it first");
    assertThatThrownBy(() -> Generators.open(dir, "onnx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("choose one of [java, llama.cpp]");
  }

  @Test
  void theSettingsParseAShapeAndNameTheKeyOfABadOne() {
    assertThat(GeneratorSettings.SHAPE.parse("layers=3").layers()).isEqualTo(3);
    assertThat(GeneratorSettings.SHAPE.defaultText()).isEqualTo(ModelShape.DEFAULT.spec());
    assertThatThrownBy(() -> GeneratorSettings.SHAPE.parse("layers=x"))
        .isInstanceOf(SettingException.class)
        .hasMessageContaining("reference.model-shape")
        .hasMessageContaining("layers=x is not a number");
    assertThatThrownBy(() -> GeneratorSettings.ENGINE.parse("onnx"))
        .isInstanceOf(SettingException.class);
  }
}
