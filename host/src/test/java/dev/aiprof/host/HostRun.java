package dev.aiprof.host;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.SettingsCatalog;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** The host collector in the real pipeline, on a host tree. */
final class HostRun implements AutoCloseable {
  final Pipeline pipeline;
  final AtomicReference<HostCollector> collector = new AtomicReference<>();

  HostRun(HostPaths paths, StatFs statFs, boolean oshi, Map<String, String> settings) {
    this(paths, statFs, oshi, settings, true);
  }

  /**
   * @param awaitFileSystems whether to wait for the first file-system pass after start (as a
   *     collection some time after start would find it)
   */
  HostRun(
      HostPaths paths,
      StatFs statFs,
      boolean oshi,
      Map<String, String> settings,
      boolean awaitFileSystems) {
    CollectorProvider p =
        new CollectorProvider() {
          @Override
          public String getName() {
            return HostProvider.NAME;
          }

          @Override
          public Set<Role> roles() {
            return new HostProvider().roles();
          }

          @Override
          public List<Setting<?>> settings() {
            return HostSettings.ALL;
          }

          @Override
          public Collector create() {
            HostCollector c =
                new HostCollector(
                    s -> statFs,
                    oshi
                        ? OshiInventory::read
                        : t -> {
                          throw new IllegalStateException("no OSHI in this test");
                        },
                    System::nanoTime);
            collector.set(c);
            return c;
          }
        };
    List<Setting<?>> keys = new ArrayList<>(Pipeline.settingKeys());
    keys.addAll(HostSettings.ALL);
    pipeline =
        Pipeline.builder(CollectorCatalog.of(List.of(p)))
            .paths(paths)
            .settings(SettingsCatalog.of(keys).validate(settings))
            .start();
    if (awaitFileSystems) {
      awaitFileSystems();
    }
  }

  /** Reads the host now (as a housekeeping run would) and waits for its file-system pass. */
  void tick() {
    collector.get().tick();
    awaitFileSystems();
  }

  private void awaitFileSystems() {
    HostCollector c = collector.get();
    if (c == null || c.fileSystems() == null) {
      return;
    }
    try {
      if (!c.awaitFileSystems(java.time.Duration.ofSeconds(10))) {
        throw new AssertionError("no file-system pass within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  CollectorStatus status() {
    return pipeline.statuses().get(0);
  }

  /** Reads the host now (as a housekeeping run would), then collects. */
  Recorded tickAndCollect() {
    tick();
    return collect();
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
