package dev.aiprof.custom.bpftrace;

import dev.aiprof.api.follow.AgentTools;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.api.settings.SettingsCatalog;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** The agent's pipeline with the bpftrace collector alone, and helpers of its tests. */
final class BpftracePipeline {
  private BpftracePipeline() {}

  static Pipeline start(Map<String, String> raw, AgentTools tools) {
    List<Setting<?>> all = new ArrayList<>(CollectorCatalog.discover().settings());
    all.addAll(Pipeline.settingKeys());
    Settings s = SettingsCatalog.of(all).validate(raw);
    return Pipeline.builder(CollectorCatalog.discover())
        .settings(s)
        .host(AgentTools.class, tools)
        .only(Set.of(BpftraceProvider.NAME))
        .start();
  }

  static BpftraceCollector collector(Pipeline p) {
    return p.offered(BpftraceProvider.NAME, BpftraceCollector.class)
        .orElseThrow(() -> new AssertionError("bpftrace does not run: " + p.statuses()));
  }

  /** Polls {@code done} until true or {@code timeout}; whether it became true. */
  static boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** The fixture binary, built by gcc from src/test/c once per test JVM. */
  static synchronized Path fixture(String stem) throws IOException, InterruptedException {
    Path out = Path.of("target", "test-c", stem).toAbsolutePath();
    if (!Files.exists(out)) {
      Files.createDirectories(out.getParent());
      Process gcc =
          new ProcessBuilder(
                  "gcc", "-O1", "-o", out.toString(), Path.of("src/test/c", stem + ".c").toString())
              .inheritIO()
              .start();
      if (gcc.waitFor() != 0) {
        throw new AssertionError("gcc failed for " + stem);
      }
    }
    return out;
  }
}
