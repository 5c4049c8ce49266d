package dev.aiprof.reference.llm.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {
  @TempDir Path dir;

  @Test
  void everyValueTypeAndBothTensorTypesComeBackAsWritten() throws IOException {
    float[] a = {1f, -2.5f, 3.25f, 0f, Float.MIN_VALUE, 1e30f};
    float[] b = {0.5f, -0.25f, 1024f, 2f, -0f, 65504f}; // all exact in F16
    GgufWriter w = new GgufWriter();
    w.put("u8", new GgufValue(GgufValueType.UINT8, 200L, null))
        .put("i8", new GgufValue(GgufValueType.INT8, -100L, null))
        .put("u16", new GgufValue(GgufValueType.UINT16, 60000L, null))
        .put("i16", new GgufValue(GgufValueType.INT16, -30000L, null))
        .put("u32", GgufValue.u32(4_000_000_000L))
        .put("i32", GgufValue.i32(-7))
        .put("u64", GgufValue.u64(1L << 40))
        .put("i64", new GgufValue(GgufValueType.INT64, -(1L << 40), null))
        .put("f32", GgufValue.f32(0.1))
        .put("f64", new GgufValue(GgufValueType.FLOAT64, 0.1, null))
        .put("bool", GgufValue.bool(true))
        .put("str", GgufValue.string("héllo ▁wörld"))
        .put("strs", GgufValue.array(GgufValueType.STRING, List.of("a", "", "▁b")))
        .put("floats", GgufValue.array(GgufValueType.FLOAT32, List.of(0.5, -1.0)))
        .put("ints", GgufValue.array(GgufValueType.INT32, List.of(1L, -2L, 3L)))
        .tensor("a", GgmlType.F32, new long[] {3, 2}, TensorData.of(a))
        .tensor("b", GgmlType.F16, new long[] {6}, TensorData.of(b));
    Path file = write(w);

    GgufFile read = GgufReader.read(file);

    assertThat(read.version()).isEqualTo(3);
    assertThat(read.metadata().keySet())
        .containsExactly(
            "u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f32", "f64", "bool", "str",
            "strs", "floats", "ints");
    assertThat(read.get("u8").asLong()).isEqualTo(200);
    assertThat(read.get("i8").asLong()).isEqualTo(-100);
    assertThat(read.get("u16").asLong()).isEqualTo(60000);
    assertThat(read.get("i16").asLong()).isEqualTo(-30000);
    assertThat(read.get("u32").asLong()).isEqualTo(4_000_000_000L);
    assertThat(read.get("i32").asInt()).isEqualTo(-7);
    assertThat(read.get("i64").asLong()).isEqualTo(-(1L << 40));
    assertThat(read.get("f32").asFloat()).isEqualTo(0.1f);
    assertThat(read.get("f64").value()).isEqualTo(0.1);
    assertThat(read.get("str").asString()).isEqualTo("héllo ▁wörld");
    assertThat(read.get("strs").asList()).isEqualTo(List.of("a", "", "▁b"));
    assertThat(read.get("ints"))
        .isEqualTo(GgufValue.array(GgufValueType.INT32, List.of(1L, -2L, 3L)));
    assertThat(read.get("floats").asList()).isEqualTo(List.of(0.5, -1.0));
    assertThat(read.tensors()).isEqualTo(w.layout());
    assertThat(read.dataStart() % 32).isZero();
    assertThat(read.tensor("b").offset() % 32).isZero();
    assertThat(Files.size(file)).isEqualTo(w.fileBytes());
    try (TensorReader r = new TensorReader(read, Progress.NONE)) {
      assertThat(r.read("a")).containsExactly(a);
      assertThat(r.read("b")).containsExactly(b);
    }
  }

  @Test
  void generalAlignmentSetAfterTheTensorsStillAlignsThem() throws IOException {
    GgufWriter w = new GgufWriter();
    w.tensor("x", GgmlType.F32, new long[] {3}, TensorData.of(new float[] {1, 2, 3}));
    w.tensor("y", GgmlType.F16, new long[] {1}, TensorData.of(new float[] {4}));
    w.put("general.alignment", GgufValue.u32(64));

    GgufFile read = GgufReader.read(write(w));

    assertThat(read.alignment()).isEqualTo(64);
    assertThat(read.dataStart() % 64).isZero();
    assertThat(read.tensor("y").offset()).isEqualTo(64);
    try (TensorReader r = new TensorReader(read, Progress.NONE)) {
      assertThat(r.read("y")).containsExactly(4f);
    }
  }

  @Test
  void aFileThatIsNotGgufIsRefusedWithTheReason() throws IOException {
    Path file = dir.resolve("not.gguf");
    Files.writeString(file, "this is text, not a model");

    assertThatThrownBy(() -> GgufReader.read(file))
        .isInstanceOf(GgufFormatException.class)
        .hasMessageContaining("is not a GGUF file");
  }

  private Path write(GgufWriter w) throws IOException {
    Path file = dir.resolve("t.gguf");
    try (OutputStream out = Files.newOutputStream(file)) {
      w.write(out, Progress.NONE);
    }
    return file;
  }
}
