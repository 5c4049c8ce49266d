package dev.aiprof.gpu.nvml;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.api.settings.SettingsCatalog;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The nvml collector in the real pipeline, with NVML from {@code open}. */
final class CollectorRun implements AutoCloseable {
  final Pipeline pipeline;

  CollectorRun(Function<Settings, Nvml> open, Map<String, String> settings) {
    CollectorProvider p =
        new CollectorProvider() {
          @Override
          public String getName() {
            return NvmlProvider.NAME;
          }

          @Override
          public Set<Role> roles() {
            return new NvmlProvider().roles();
          }

          @Override
          public List<Setting<?>> settings() {
            return NvmlSettings.ALL;
          }

          @Override
          public Collector create() {
            return new NvmlCollector(open, System::nanoTime);
          }
        };
    List<Setting<?>> keys = new ArrayList<>(Pipeline.settingKeys());
    keys.addAll(NvmlSettings.ALL);
    pipeline =
        Pipeline.builder(CollectorCatalog.of(List.of(p)))
            .settings(SettingsCatalog.of(keys).validate(settings))
            .start();
  }

  CollectorStatus status() {
    return pipeline.statuses().get(0);
  }

  Recorded collect() {
    Recorded r = new Recorded();
    pipeline.metrics().collect(r);
    return r;
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
