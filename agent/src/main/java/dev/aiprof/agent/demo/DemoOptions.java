package dev.aiprof.agent.demo;

import java.nio.file.Path;

/**
 * What {@code aiprof demo} runs.
 *
 * @param requests requests the client sends
 * @param concurrency requests in flight at once
 * @param maxTokens tokens generated per request at most
 * @param engine the generator engine ({@code java}, {@code llama.cpp})
 * @param modelSize the synthetic model's size
 * @param inject the competing load: {@code none}, {@code cpu} or {@code io}
 * @param outputDir this run's directory: OTLP files under {@code otlp/}, the report beside them
 * @param modelDir where the synthetic model is written once and read from (disk-backed)
 * @param referenceJar the reference service's jar ({@code aiprof-reference.jar}, lib/ beside it)
 */
public record DemoOptions(
    int requests,
    int concurrency,
    int maxTokens,
    String engine,
    String modelSize,
    String inject,
    Path outputDir,
    Path modelDir,
    Path referenceJar) {

  /** The OTLP JSON files' directory. */
  public Path otlpDir() {
    return outputDir.resolve("otlp");
  }
}
