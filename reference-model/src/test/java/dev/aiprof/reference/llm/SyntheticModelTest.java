package dev.aiprof.reference.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.reference.llm.gguf.GgufFile;
import dev.aiprof.reference.llm.gguf.GgufReader;
import dev.aiprof.reference.llm.gguf.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelTest {
  @TempDir Path dir;

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws IOException {
    Path a = write("a.gguf", 42);
    Path b = write("b.gguf", 42);
    Path c = write("c.gguf", 43);

    assertThat(Files.mismatch(a, b)).isEqualTo(-1);
    assertThat(Files.mismatch(a, c)).isNotEqualTo(-1);
  }

  @Test
  void oneLayoutWrittenTwiceGivesTheSameBytesBothTimes() throws IOException {
    var w = SyntheticModel.layout(9, ModelShape.TINY);
    var a = new java.io.ByteArrayOutputStream();
    var b = new java.io.ByteArrayOutputStream();
    w.write(a, Progress.NONE);
    w.write(b, Progress.NONE);

    assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
  }

  @Test
  void theFileSaysWhatItIsAndCarriesTheKeysLlamaCppReads() throws IOException {
    GgufFile f = GgufReader.read(write("m.gguf", 1));

    assertThat(f.get("general.architecture").asString()).isEqualTo("llama");
    assertThat(f.get("general.name").asString()).isEqualTo(SyntheticModel.NAME);
    assertThat(f.get("general.description").asString()).contains("not trained", "nonsense");
    for (String key :
        List.of(
            "llama.context_length",
            "llama.embedding_length",
            "llama.block_count",
            "llama.feed_forward_length",
            "llama.attention.head_count",
            "llama.attention.head_count_kv",
            "llama.rope.dimension_count",
            "llama.attention.layer_norm_rms_epsilon",
            "llama.rope.freq_base",
            "general.file_type",
            "tokenizer.ggml.model",
            "tokenizer.ggml.tokens",
            "tokenizer.ggml.scores",
            "tokenizer.ggml.token_type")) {
      assertThat(f.metadata()).containsKey(key);
    }
    assertThat(f.tensors()).hasSize(2 + 9 * ModelShape.TINY.layers() + 1);
    assertThat(f.tensor("blk.1.attn_k.weight").dims()).containsExactly(64, 32);
    assertThat(f.tensor("blk.0.ffn_down.weight").dims()).containsExactly(128, 64);
  }

  @Test
  void anExistingModelOfTheSameSeedIsKeptAndProgressReachesTheEnd() throws IOException {
    List<Long> reports = new ArrayList<>();
    Path p = dir.resolve("m.gguf");
    var first =
        SyntheticModel.writeIfAbsent(
            p, 5, ModelShape.TINY, (done, total) -> reports.add(total - done));
    var second = SyntheticModel.writeIfAbsent(p, 5, ModelShape.TINY, Progress.NONE);
    var third = SyntheticModel.writeIfAbsent(p, 6, ModelShape.TINY, Progress.NONE);

    assertThat(first.created()).isTrue();
    assertThat(reports.getLast()).isZero();
    assertThat(second.created()).isFalse();
    assertThat(third.created()).isTrue();
    assertThat(GgufReader.read(p).get("aiprof.synthetic.seed").asLong()).isEqualTo(6);
    assertThat(dir.toFile().list()).containsExactly("m.gguf");
  }

  @Test
  void aFileThatIsNotOursIsNotOverwritten() throws IOException {
    Path p = dir.resolve("user.gguf");
    Files.writeString(p, "someone's notes");

    assertThatThrownBy(() -> SyntheticModel.writeIfAbsent(p, 1, ModelShape.TINY, Progress.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("remove it or choose another path");
    assertThat(Files.readString(p)).isEqualTo("someone's notes");
  }

  @Test
  void shapesParseFromASettingAndBadOnesNameTheKey() {
    assertThat(ModelShape.parse(ModelShape.DEFAULT.spec())).isEqualTo(ModelShape.DEFAULT);
    assertThat(ModelShape.parse("layers=2, type=f16").layers()).isEqualTo(2);
    assertThatThrownBy(() -> ModelShape.parse("layer=2")).hasMessageContaining("unknown key layer");
    assertThatThrownBy(() -> ModelShape.parse("heads=5")).hasMessageContaining("dim=384");
  }

  private Path write(String name, long seed) throws IOException {
    return SyntheticModel.writeIfAbsent(dir.resolve(name), seed, ModelShape.TINY, Progress.NONE)
        .path();
  }
}
