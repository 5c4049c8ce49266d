package dev.aiprof.reference.serve;

import dev.aiprof.reference.Flags;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The reference server's settings (flags of {@code aiprof-reference server}).
 *
 * @param traces the agent's OTLP/HTTP traces endpoint
 * @param metricsDir where the GenAI metrics' OTLP JSON lines go (null: none)
 * @param modelDir where the synthetic GGUF model is written on first run and read from
 * @param engine the generator engine: {@code java} or {@code llama.cpp}
 * @param modelSize the synthetic model's size: {@code tiny}, {@code small} (default) or {@code
 *     base}
 * @param seed the seed of the model's weights
 * @param workers inference worker threads (each with its own generator)
 * @param maxTokens the most tokens one completion generates
 * @param embedProvider ONNX Runtime execution provider: {@code auto}, {@code cpu}, {@code cuda}
 * @param embedThreads ONNX Runtime intra-op threads
 * @param marker libaiprof.so, or null to mark nothing
 * @param inject the competing load: {@code none}, {@code cpu} or {@code io}
 * @param injectPhase the phase it runs inside ({@code embed} for cpu, {@code persist} for io)
 * @param injectThreads busy threads for cpu, writer threads for io
 * @param cpu the CPU the workers (and the cpu load) are pinned to, or -1: not pinned
 */
public record ServerSettings(
    String traces,
    Path metricsDir,
    Path modelDir,
    String engine,
    String modelSize,
    long seed,
    int workers,
    int maxTokens,
    String embedProvider,
    int embedThreads,
    Path marker,
    String inject,
    String injectPhase,
    int injectThreads,
    int cpu) {

  public static final Set<String> KEYS =
      new LinkedHashSet<>(
          List.of(
              "traces-endpoint",
              "metrics-dir",
              "model-dir",
              "engine",
              "model-size",
              "seed",
              "workers",
              "max-tokens",
              "embed-provider",
              "embed-threads",
              "marker-library",
              "inject",
              "inject-phase",
              "inject-threads",
              "cpu"));

  /** From flags; defaults where absent. */
  public static ServerSettings from(Flags f) {
    String inject = f.choice("inject", "none", Set.of("none", "cpu", "io"));
    int cpus = Runtime.getRuntime().availableProcessors();
    int cpu = f.integer("cpu", inject.equals("cpu") ? cpus - 1 : -1, -1, 1023);
    return new ServerSettings(
        f.string("traces-endpoint", "http://127.0.0.1:4318/v1/traces"),
        f.path("metrics-dir", null),
        f.path("model-dir", Path.of("/var/tmp/aiprof-reference")),
        f.choice("engine", "java", Set.of("java", "llama.cpp")),
        f.choice("model-size", "small", Set.of("tiny", "small", "base")),
        f.integer("seed", 42, 0, Integer.MAX_VALUE),
        f.integer("workers", 1, 1, 16),
        f.integer("max-tokens", 16, 1, 512),
        f.choice("embed-provider", "auto", Set.of("auto", "cpu", "cuda")),
        f.integer("embed-threads", 1, 1, 64),
        f.path("marker-library", null),
        inject,
        f.string("inject-phase", inject.equals("io") ? "persist" : "embed"),
        f.integer("inject-threads", inject.equals("io") ? 4 : 2, 1, 16),
        cpu);
  }
}
