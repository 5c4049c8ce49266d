package dev.aiprof.agent.run;

import dev.aiprof.agent.compose.AgentHost;
import dev.aiprof.agent.config.Readiness;
import dev.aiprof.agent.config.RunSettings;
import dev.aiprof.agent.correlation.PhaseMetrics;
import dev.aiprof.agent.identity.IdentitySettings;
import dev.aiprof.agent.identity.WorkloadName;
import dev.aiprof.agent.identity.WorkloadResolver;
import dev.aiprof.agent.supervise.Supervisor;
import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.api.health.HealthSource;
import dev.aiprof.exporters.Exporters;
import dev.aiprof.exporters.metrics.WorkloadAttributes;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.pipeline.Pipeline;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The long-running agent of {@code aiprof run}: the exporters, then the {@link Pipeline} with every
 * collector that can run here (the same composition {@code profile} uses), its correlated phases
 * going to spans ({@link PhaseSpans}) and phase metrics (the exporters' meter), and its metrics
 * (collectors, engine, follow service) and the exporters' own going to the exporters' bridge.
 *
 * <p>Closing (idempotent): the pipeline finishes (phase sources stop, the engine describes what is
 * left), the exporters export queued spans and a last metric collection and shut down, then the
 * other collectors close (every BPF program detached). Thread-safe.
 */
public final class Agent implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Agent.class.getName());

  private final AgentHost host;
  private final Exporters exporters;
  private final Pipeline pipeline;
  private final WorkloadResolver identity;
  private final Duration flushTimeout;
  private final Supervisor supervisor;
  private final Readiness readiness;
  private boolean closed;

  private Agent(
      AgentHost host,
      Exporters exporters,
      Pipeline pipeline,
      WorkloadResolver identity,
      Duration flushTimeout,
      Supervisor supervisor,
      Readiness readiness) {
    this.supervisor = supervisor;
    this.readiness = readiness;
    this.host = host;
    this.exporters = exporters;
    this.pipeline = pipeline;
    this.identity = identity;
    this.flushTimeout = flushTimeout;
  }

  /**
   * Starts everything.
   *
   * @throws IllegalArgumentException on an unknown collector name or a bad value
   * @throws io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException on a bad {@code OTEL_*}
   *     setting
   */
  public static Agent start(RunOptions o, CollectorCatalog catalog) {
    AgentHost host = AgentHost.open(o.paths(), o.btf(), o.settings());
    WorkloadResolver identity = null;
    Exporters exporters = null;
    try {
      identity =
          WorkloadResolver.create(IdentitySettings.config(o.settings()), o.paths(), host.mounts());
      WorkloadResolver id = identity;
      CgroupWorkloads paths = new CgroupWorkloads(host.mounts());
      // Metric series: the cgroup's path plus whatever the resolver knows (pod, container, unit).
      WorkloadAttributes workloads =
          (v2, v1) ->
              WorkloadName.with(
                  paths.of(v2, v1).toBuilder()
                      .putAll(id.resolveCgroup(v2, v1).attributes())
                      .build());
      exporters = Exporters.start(o.export(), workloads);
      PhaseMetrics phaseMetrics = PhaseMetrics.create(exporters.meter(), o.settings());
      Pipeline.Builder b =
          host.pipeline(catalog, o.settings())
              .choose(o.collectors())
              .workloads(pid -> id.resolve(pid).attributes())
              .sink(phaseMetrics);
      if (exporters.spans().isPresent()) {
        InstrumentationScopeInfo scope =
            InstrumentationScopeInfo.builder(Exporters.SCOPE)
                .setVersion(o.export().version())
                .build();
        b.sink(new PhaseSpans(exporters::offer, b.clock(), scope));
      }
      Pipeline pipeline = b.start();
      for (int pid : o.followPids()) {
        FollowOutcome f = pipeline.follows().follow(pid);
        if (!f.followed()) {
          LOG.log(System.Logger.Level.WARNING, "--follow-pid " + pid + ": " + f.label());
        }
      }
      exporters.metrics().addSource(pipeline.metrics());
      Supervisor supervisor = Supervisor.start();
      supervisor.watch("aiprof-ring-events", () -> host.poller().failure());
      exporters.metrics().addSource(supervisor::collect);
      Duration window = o.settings().get(RunSettings.READY_WINDOW);
      Readiness ready =
          new Readiness(
              pipeline::statuses, o.collectors(), exporters::lastExports, window, System::nanoTime);
      exporters.health(supervisor, ready);
      return new Agent(
          host, exporters, pipeline, identity, Duration.ofSeconds(10), supervisor, ready);
    } catch (RuntimeException | Error e) {
      if (exporters != null) {
        exporters.close(Duration.ofSeconds(2));
      }
      if (identity != null) {
        identity.close();
      }
      host.close();
      throw e;
    }
  }

  /** Every collector, running or not (with why). */
  public List<CollectorStatus> statuses() {
    return pipeline.statuses();
  }

  /** The pipeline (to follow a process started later, or find what a collector offers). */
  public Pipeline pipeline() {
    return pipeline;
  }

  /**
   * The supervisor of the agent's threads: the liveness {@link HealthSource} ({@code /healthz}),
   * and where a fatal thread death is reported ({@link Supervisor#onFatal}).
   */
  public Supervisor supervisor() {
    return supervisor;
  }

  /** The exporters (span queue, bridge, chosen exporters). */
  public Exporters exporters() {
    return exporters;
  }

  /** Readiness ({@code /readyz}): probes attached, exporters reachable. */
  public Readiness readiness() {
    return readiness;
  }

  /** Counters worth a last log line: phases described and spans dropped. */
  public Map<String, Long> summary() {
    return Map.of(
        "phases", pipeline.engine().described(),
        "spans.dropped", exporters.spans().map(q -> q.dropped()).orElse(0L),
        "spans.exported", exporters.spans().map(q -> q.exported()).orElse(0L));
  }

  @Override
  public void close() {
    close(flushTimeout.multipliedBy(2));
  }

  /** Closes with the exporters' flush and shutdown each given at most 40% of {@code deadline}. */
  public synchronized void close(Duration deadline) {
    if (closed) {
      return;
    }
    closed = true;
    supervisor.close();
    try {
      pipeline.finish();
    } catch (RuntimeException | Error e) {
      // What broke a thread may break the last description too: detach and export all the same.
      LOG.log(System.Logger.Level.WARNING, "describing the last phases failed: " + e);
    }
    exporters.close(deadline.multipliedBy(2).dividedBy(5));
    pipeline.close();
    identity.close();
    host.close();
  }
}
