package dev.aiprof.agent.compose;

import dev.aiprof.agent.identity.CgroupMounts;
import dev.aiprof.agent.identity.HostCgroups;
import dev.aiprof.api.Cgroups;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.RingPoller;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.Pipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the agent offers every collector of this host (the pipeline's host services): the probed BPF
 * {@link Features}, the host's {@link Cgroups}, and the one {@link RingPoller} thread that drains
 * every probe's ring buffer. {@code profile}, {@code run}, {@code demo} and the tests open one and
 * build their pipeline from it ({@link #pipeline}).
 *
 * <p>Lifecycle: {@link #open}, build and run pipelines, close the pipelines, then {@link #close}
 * (stops the poller). Thread-safe.
 */
public final class AgentHost implements AutoCloseable {
  public static final Setting<Duration> DRAIN_INTERVAL =
      Setting.duration(
          "probes.drain-interval",
          Duration.ofMillis(10),
          Duration.ofMillis(1),
          Duration.ofSeconds(1),
          "shortest interval between drains of the probes' ring buffers (one thread drains all)");
  public static final Setting<Duration> DRAIN_INTERVAL_MAX =
      Setting.duration(
          "probes.drain-interval-max",
          Duration.ofMillis(100),
          Duration.ofMillis(1),
          Duration.ofSeconds(1),
          "longest interval between drains, while little arrives");

  static final List<Setting<?>> SETTINGS = List.of(DRAIN_INTERVAL, DRAIN_INTERVAL_MAX);

  private final HostPaths paths;
  private final Features features;
  private final CgroupMounts mounts;
  private final HostCgroups cgroups;
  private final RingPoller poller;

  private AgentHost(HostPaths paths, Features features, CgroupMounts mounts, RingPoller poller) {
    this.paths = paths;
    this.features = features;
    this.mounts = mounts;
    this.cgroups = new HostCgroups(mounts);
    this.poller = poller;
  }

  /** Probes the host's features and starts the ring-buffer poller. */
  public static AgentHost open(HostPaths paths, Path btf, Settings settings) {
    Features features = new FeatureProber(btf).probe();
    CgroupMounts mounts = CgroupMounts.read(paths.proc("self", "mountinfo"));
    RingPoller poller =
        RingPoller.start(
            "aiprof-ring-events", settings.get(DRAIN_INTERVAL), settings.get(DRAIN_INTERVAL_MAX));
    return new AgentHost(paths, features, mounts, poller);
  }

  /** A pipeline builder for this host: its paths, settings and host services set. */
  public Pipeline.Builder pipeline(CollectorCatalog catalog, Settings settings) {
    return Pipeline.builder(catalog)
        .paths(paths)
        .settings(settings)
        .host(Features.class, features)
        .host(Cgroups.class, cgroups)
        .host(RingPoller.class, poller);
  }

  public HostPaths paths() {
    return paths;
  }

  public Features features() {
    return features;
  }

  public CgroupMounts mounts() {
    return mounts;
  }

  public Cgroups cgroups() {
    return cgroups;
  }

  /** The poller every probe's ring buffer is drained by. */
  public RingPoller poller() {
    return poller;
  }

  @Override
  public void close() {
    poller.close();
  }
}
