package dev.aiprof.agent.identity;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.ProcCgroups;
import dev.aiprof.api.sandbox.ProcTree;
import dev.aiprof.api.sandbox.Sandbox;
import dev.aiprof.api.sandbox.Sandboxes;
import dev.aiprof.api.supervise.SupervisedLoop;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The {@link WorkloadResolver} of this host: {@code /proc/PID/cgroup} (or a cgroup id named by
 * {@link CgroupNames}) → {@link CgroupPaths#owner} → {@link PodCache} → {@link Workloads#of}.
 *
 * <p>Caches by pid and by cgroup id pair, bounded; a result still missing its pod name is kept only
 * for the pod refresh interval, so the next refresh can complete it. Once every {@code max(1s,
 * processTtl/4)} a sweep on the background thread drops pids that died or were reused.
 *
 * <p>Thread-safe. One daemon thread ({@code aiprof-identity}) runs pod refreshes and sweeps.
 */
final class HostWorkloadResolver implements WorkloadResolver {
  private record Cached(Workload workload, long startTicks) {}

  private record CgroupKey(long v2, long v1) {}

  private final HostPaths paths;
  private final CgroupNames v2Names;
  private final CgroupNames v1Names;
  private final PodSource source;
  private final PodCache pods;
  private final String nodeName;
  private final boolean kubernetes;
  private final long ttlNanos;
  private final long incompleteTtlNanos;
  private final ScheduledExecutorService background;
  private final ExpiringLru<Integer, Cached> byPid;
  private final ExpiringLru<CgroupKey, Workload> byCgroup;
  // Sandboxes seen through a pid, by container id: a cgroup id alone cannot say gVisor.
  private final ExpiringLru<String, Sandbox> sandboxByContainer;

  HostWorkloadResolver(
      IdentityConfig c,
      HostPaths paths,
      CgroupMounts mounts,
      PodSource source,
      LongSupplier nanos) {
    this.paths = paths;
    long walkEvery = Duration.ofSeconds(1).toNanos();
    this.v2Names = mounts.v2().map(p -> new CgroupNames(p, walkEvery)).orElse(null);
    this.v1Names = mounts.v1Memory().map(p -> new CgroupNames(p, walkEvery)).orElse(null);
    this.source = source;
    this.nodeName = c.nodeName();
    this.kubernetes = c.source() != IdentityConfig.Source.NONE;
    this.ttlNanos = c.processTtl().toNanos();
    this.incompleteTtlNanos = Math.min(ttlNanos, Math.max(1, c.refreshInterval().toNanos()));
    this.background =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("aiprof-identity").unstarted(r));
    this.pods =
        new PodCache(
            source,
            background,
            nanos,
            c.refreshInterval(),
            c.podTtl(),
            c.lookupWait(),
            c.cacheSize());
    this.byPid = new ExpiringLru<>(c.processCacheSize(), nanos);
    this.byCgroup = new ExpiringLru<>(c.processCacheSize(), nanos);
    this.sandboxByContainer = new ExpiringLru<>(c.processCacheSize(), nanos);
    long sweepEvery = Math.max(Duration.ofSeconds(1).toNanos(), ttlNanos / 4);
    background.scheduleWithFixedDelay(
        SupervisedLoop.periodic("aiprof-identity", this::sweep),
        sweepEvery,
        sweepEvery,
        TimeUnit.NANOSECONDS);
    if (kubernetes) {
      pods.refresh();
    }
  }

  @Override
  public Workload resolve(int pid) {
    Cached c = byPid.get(pid);
    if (c != null) {
      return c.workload();
    }
    Optional<ProcessFacts> facts = ProcessFacts.read(paths, pid);
    Optional<ProcCgroups> cgroups = ProcCgroups.read(paths, pid);
    if (facts.isEmpty() || cgroups.isEmpty()) {
      return new Workload(
          Workload.Kind.UNKNOWN, Attributes.of(WorkloadKeys.PROCESS_PID, (long) pid));
    }
    CgroupOwner owner = owner(cgroups.get().candidates());
    Optional<Sandbox> sandbox =
        Sandboxes.recognise(ProcTree.chain(paths, pid), cgroups.get().candidates());
    Workload w = Workloads.sandboxed(build(owner, facts), sandbox);
    if (sandbox.isPresent() && owner instanceof CgroupOwner.Container k) {
      sandboxByContainer.put(k.id(), sandbox.get(), ttlNanos);
    }
    byPid.put(pid, new Cached(w, facts.get().startTicks()), ttl(w));
    return w;
  }

  @Override
  public Workload resolveCgroup(long cgroupV2Id, long cgroupV1MemoryId) {
    CgroupKey key = new CgroupKey(cgroupV2Id, cgroupV1MemoryId);
    Workload w = byCgroup.get(key);
    if (w != null) {
      return w;
    }
    List<String> candidates = new ArrayList<>(2);
    name(v2Names, cgroupV2Id).ifPresent(candidates::add);
    name(v1Names, cgroupV1MemoryId).ifPresent(candidates::add);
    CgroupOwner owner = owner(candidates);
    Optional<Sandbox> sandbox = Sandboxes.recognise(List.of(), candidates);
    if (sandbox.isEmpty() && owner instanceof CgroupOwner.Container c) {
      sandbox = Optional.ofNullable(sandboxByContainer.get(c.id()));
    }
    w = Workloads.sandboxed(build(owner, Optional.empty()), sandbox);
    byCgroup.put(key, w, ttl(w));
    return w;
  }

  @Override
  public void forget(int pid) {
    byPid.remove(pid);
  }

  @Override
  public Stats stats() {
    PodCache.Stats p = pods.stats();
    return new Stats(
        byPid.size(),
        byCgroup.size(),
        p.containers(),
        p.refreshes(),
        p.failures(),
        p.rateLimited(),
        p.waitTimeouts());
  }

  @Override
  public void close() {
    background.shutdownNow();
    source.close();
  }

  /** A container or pod in any candidate path wins; else the first unit; else unknown. */
  static CgroupOwner owner(List<String> candidates) {
    CgroupOwner unit = new CgroupOwner.Unknown();
    for (String path : candidates) {
      CgroupOwner o = CgroupPaths.owner(path);
      if (o instanceof CgroupOwner.Container || o instanceof CgroupOwner.Pod) {
        return o;
      }
      if (o instanceof CgroupOwner.SystemdUnit && unit instanceof CgroupOwner.Unknown) {
        unit = o;
      }
    }
    return unit;
  }

  private Workload build(CgroupOwner owner, Optional<ProcessFacts> facts) {
    Optional<PodMatch> match = Optional.empty();
    if (kubernetes) {
      match =
          switch (owner) {
            case CgroupOwner.Container c -> pods.lookup(c.id(), c.podUid());
            case CgroupOwner.Pod p -> pods.lookupPod(p.uid());
            default -> Optional.empty();
          };
    }
    return Workloads.of(owner, match, facts, nodeName);
  }

  /**
   * Complete results live the process TTL; ones a pod refresh could complete (no pod name, or a
   * container id without its name) only the refresh interval.
   */
  private long ttl(Workload w) {
    Attributes a = w.attributes();
    boolean incomplete =
        w.kind() == Workload.Kind.UNKNOWN
            || kubernetes
                && w.kind() == Workload.Kind.KUBERNETES
                && (a.get(WorkloadKeys.K8S_POD_NAME) == null
                    || a.get(WorkloadKeys.CONTAINER_ID) != null
                        && a.get(WorkloadKeys.K8S_CONTAINER_NAME) == null);
    return incomplete ? incompleteTtlNanos : ttlNanos;
  }

  private static Optional<String> name(CgroupNames names, long id) {
    if (names == null || id == 0) {
      return Optional.empty();
    }
    return names.path(id).filter(p -> !p.equals("/"));
  }

  /** Drops cached pids whose process died or whose pid now names another process. */
  void sweep() {
    byPid
        .expireAndCopy()
        .forEach(
            (pid, c) -> {
              if (ProcessFacts.startTicksOf(paths, pid) != c.startTicks()) {
                byPid.remove(pid, c);
              }
            });
    byCgroup.expireAndCopy();
    sandboxByContainer.expireAndCopy();
  }
}
