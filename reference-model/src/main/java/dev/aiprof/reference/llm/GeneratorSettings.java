package dev.aiprof.reference.llm;

import dev.aiprof.api.settings.Setting;
import java.util.List;

/**
 * The generator's settings: the synthetic model's shape and seed, and the engine. Whoever runs the
 * reference service registers {@link #ALL} with its settings catalog.
 */
public final class GeneratorSettings {
  public static final Setting<ModelShape> SHAPE =
      Setting.of(
          "reference.model-shape",
          GeneratorSettings::parseShape,
          ModelShape::spec,
          "key=value pairs of dim, layers, heads, kv_heads, ffn, vocab, context, type (f32|f16)",
          ModelShape.DEFAULT,
          "the synthetic Llama model's size; keys not given keep their default");

  public static final Setting<Integer> SEED =
      Setting.integer(
          "reference.model-seed",
          1,
          0,
          Integer.MAX_VALUE,
          "the seed the synthetic weights are drawn from; the same seed gives the same file");

  public static final Setting<String> ENGINE =
      Setting.choice(
          "reference.engine",
          Generators.JAVA,
          "the generator engine: the pure-Java one or llama.cpp (de.kherud:llama) in a child JVM",
          Generators.JAVA,
          Generators.LLAMA_CPP);

  public static final List<Setting<?>> ALL = List.of(SHAPE, SEED, ENGINE);

  private GeneratorSettings() {}

  private static ModelShape parseShape(String key, String text) {
    try {
      return ModelShape.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid " + key + " '" + text + "': " + e.getMessage(), e);
    }
  }
}
