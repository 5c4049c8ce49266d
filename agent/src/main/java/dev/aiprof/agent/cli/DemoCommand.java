package dev.aiprof.agent.cli;

import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.agent.demo.DemoOptions;
import dev.aiprof.agent.demo.DemoRun;
import dev.aiprof.agent.demo.ReferenceJar;
import dev.aiprof.agent.run.RunOptions;
import dev.aiprof.agent.run.SdkLogging;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.exporters.ExporterOptions;
import dev.aiprof.pipeline.CollectorCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aiprof demo}: a reference inference service, served, traced and reported. */
@Command(
    mixinStandardHelpOptions = true,
    name = "demo",
    description = {
      "Serve the built-in reference inference service (MiniLM embeddings, retrieval, a synthetic"
          + " Llama-architecture generator), send it requests, profile it with the agent and"
          + " report where the time went.",
      "OTLP JSON files and the report go to --output-dir; with OTEL_EXPORTER_OTLP_ENDPOINT set,"
          + " also over OTLP there."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--requests",
      defaultValue = "24",
      description = "Requests (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--concurrency",
      defaultValue = "1",
      description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--max-tokens",
      defaultValue = "16",
      description = "Tokens generated per request at most (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(
      names = "--engine",
      defaultValue = "java",
      description = "Generator engine: java or llama.cpp (default: ${DEFAULT-VALUE}).")
  String engine;

  @Option(
      names = "--model-size",
      defaultValue = "small",
      description = "Synthetic model size: tiny, small or base (default: ${DEFAULT-VALUE}).")
  String modelSize;

  @Option(
      names = "--inject",
      defaultValue = "none",
      description =
          "A known competing load inside one phase: cpu (busy threads on the workers' CPU during"
              + " embed), io (O_DIRECT writes + fdatasync during persist) or none (default).")
  String inject;

  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      description =
          "Where this run's OTLP files and report go (default: ./aiprof-demo/<UTC time>).")
  Path outputDir;

  @Option(
      names = "--model-dir",
      paramLabel = "DIR",
      defaultValue = "/var/tmp/aiprof-reference",
      description =
          "Disk-backed directory where the synthetic model is written once (default:"
              + " ${DEFAULT-VALUE}).")
  Path modelDir;

  @Mixin HostOptions host;

  @Mixin CollectorOptions collectors;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A setting (repeatable), as for aiprof run; 'aiprof run --help' lists every key.")
  Map<String, String> set = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    DemoOptions o = options();
    HostPaths paths = host.paths();
    Privileges.requireTracing(paths, "aiprof demo");
    CollectorCatalog catalog = CollectorCatalog.discover();
    Map<String, String> own = new LinkedHashMap<>(DemoRun.agentSettings());
    own.putAll(DemoRun.outputSettings(o));
    own.putAll(set);
    Settings settings = SettingsInput.validate(AgentSettings.catalog(catalog), Map.of(), null, own);
    ExporterOptions export =
        new ExporterOptions(
            null,
            false,
            null,
            o.otlpDir(),
            DemoRun.exportSettings(System.getenv()),
            HostName.read(paths),
            System.getenv("NODE_NAME"),
            new Main.Version().getVersion()[0].replace("aiprof ", ""));
    RunOptions run =
        new RunOptions(
            export,
            DemoRun.collectors(collectors.choice(catalog), catalog),
            List.of(),
            paths,
            host.btf(),
            null,
            settings);
    SdkLogging.quiet();
    boolean tty = System.console() != null && System.console().isTerminal();
    return new DemoRun(o, run, catalog).run(System.out, tty) ? 0 : 1;
  }

  DemoOptions options() {
    check("--requests", requests, 1, 100_000);
    check("--concurrency", concurrency, 1, 64);
    check("--max-tokens", maxTokens, 1, 512);
    choice("--engine", engine, Set.of("java", "llama.cpp"));
    choice("--model-size", modelSize, Set.of("tiny", "small", "base"));
    choice("--inject", inject, Set.of("none", "cpu", "io"));
    Path out =
        outputDir != null
            ? outputDir
            : Path.of(
                "aiprof-demo",
                DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                    .format(ZonedDateTime.now(ZoneOffset.UTC)));
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UsageException("--output-dir " + out + " is not a directory");
    }
    if (Files.exists(modelDir) && !Files.isDirectory(modelDir)) {
      throw new UsageException("--model-dir " + modelDir + " is not a directory");
    }
    Path jar = ReferenceJar.path();
    if (!Files.isRegularFile(jar)) {
      throw new UsageException(
          "the reference service is not built ("
              + jar
              + " is missing): run sudo ./aiprof setup, or mvn package");
    }
    return new DemoOptions(
        requests,
        concurrency,
        maxTokens,
        engine,
        modelSize,
        inject,
        out.toAbsolutePath(),
        modelDir.toAbsolutePath(),
        jar);
  }

  private static void check(String flag, int v, int min, int max) {
    if (v < min || v > max) {
      throw new UsageException("invalid " + flag + " " + v + ": use " + min + " to " + max);
    }
  }

  private static void choice(String flag, String v, Set<String> choices) {
    if (!choices.contains(v)) {
      throw new UsageException("invalid " + flag + " '" + v + "': use one of " + choices);
    }
  }
}
