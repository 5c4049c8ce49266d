package dev.aiprof.custom.usdt;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.bpf.Uprobe;
import dev.aiprof.custom.bcc.Bcc;
import dev.aiprof.custom.bcc.JnaBcc;
import dev.aiprof.custom.bcc.UsdtCounter;
import dev.aiprof.custom.bcc.UsdtProbe;
import dev.aiprof.custom.bpftrace.PidCgroups;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code usdt} collector: counts the USDT probes {@code usdt.probes} names, per process, and
 * exports the counts with the process's workload. At start it discovers each entry's probes with
 * BCC ({@code libbcc.so.0}: a binary's {@code .note.stapsdt}, or the binaries a process maps) and
 * attaches one {@link UsdtCounter} at every site. An entry that matches no probe fails the start,
 * listing the probes the binary has. Nothing to do (and BCC not needed) when the list is empty.
 *
 * <p>Bounds: at most {@value UsdtCounter#MAX_PROBES} probes; {@value UsdtCounter#MAX_PAIRS} (probe,
 * process) pairs counted apart (hits beyond them: {@code aiprof.usdt.hits.unattributed}); the pairs
 * of processes that exited are freed every {@value #PRUNE_SECONDS} s. Threads: start and close by
 * the pipeline, collect and prune from its threads (the map reads are thread-safe).
 */
public final class UsdtCollector implements Collector {
  static final int PRUNE_SECONDS = 10;
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("usdt.provider");
  static final AttributeKey<String> NAME = AttributeKey.stringKey("usdt.name");
  static final AttributeKey<String> BINARY = AttributeKey.stringKey("usdt.binary");
  static final MetricId HITS =
      MetricId.counter("aiprof.usdt.hits", "Hits of a configured USDT probe in a process", "{hit}");
  static final MetricId UNATTRIBUTED =
      MetricId.counter(
          "aiprof.usdt.hits.unattributed",
          "USDT hits of (probe, process) pairs beyond the 4,096 counted apart",
          "{hit}");
  static final MetricId SITES =
      MetricId.gauge("aiprof.usdt.sites", "Sites attached of a configured USDT probe", "{site}");

  private final Supplier<Bcc> bcc;
  private UsdtCounter counter;
  private PidCgroups cgroups;
  private HostPaths paths;

  public UsdtCollector() {
    this(JnaBcc::load);
  }

  UsdtCollector(Supplier<Bcc> bcc) {
    this.bcc = bcc;
  }

  @Override
  public void start(CollectorContext context) {
    List<UsdtTarget> targets = context.settings().get(UsdtSettings.PROBES);
    context.offer(UsdtCollector.class, this);
    if (targets.isEmpty()) {
      return;
    }
    paths = context.paths();
    Bcc b;
    try {
      b = bcc.get();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      throw new IllegalStateException(
          "usdt.probes needs BCC's USDT discovery: libbcc.so.0 not found (Debian: apt-get install"
              + " libbpfcc)",
          e);
    }
    List<UsdtProbe> probes = new ArrayList<>();
    List<Integer> pids = new ArrayList<>();
    for (UsdtTarget t : targets) {
      int pid = t.pid() == 0 ? Uprobe.ALL_PROCESSES : t.pid();
      for (UsdtProbe p : select(b, t)) {
        if (!contains(probes, pids, p, pid)) {
          probes.add(p);
          pids.add(pid);
        }
      }
    }
    if (probes.size() > UsdtCounter.MAX_PROBES) {
      throw new IllegalArgumentException(
          "usdt.probes names "
              + probes.size()
              + " probes: at most "
              + UsdtCounter.MAX_PROBES
              + " are counted; name fewer (provider:name instead of *)");
    }
    cgroups = new PidCgroups(paths);
    counter = UsdtCounter.attach(probes, pids);
    context.metrics(this::collect);
    context.every("usdt-prune", Duration.ofSeconds(PRUNE_SECONDS), this::prune);
  }

  /** The probes of {@code t}; throws naming what the binary has when none match. */
  static List<UsdtProbe> select(Bcc b, UsdtTarget t) {
    List<UsdtProbe> all;
    if (t.binary() != null) {
      if (!Files.isRegularFile(t.binary())) {
        throw new IllegalArgumentException(
            "usdt.probes entry '" + t + "': no such file " + t.binary() + "; fix the path");
      }
      all = b.usdtProbes(t.binary());
    } else {
      if (ProcessHandle.of(t.pid()).isEmpty()) {
        throw new IllegalArgumentException(
            "usdt.probes entry '" + t + "': no process " + t.pid() + "; is it running?");
      }
      all = b.usdtProbes(t.pid());
    }
    List<UsdtProbe> out = all.stream().filter(t::matches).toList();
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "usdt.probes entry '"
              + t
              + "' matches no USDT probe; "
              + (all.isEmpty()
                  ? "it has none (no .note.stapsdt: built without sys/sdt.h probes?)"
                  : "it has "
                      + String.join(", ", all.stream().map(UsdtProbe::id).distinct().toList())));
    }
    return out;
  }

  private static boolean contains(
      List<UsdtProbe> probes, List<Integer> pids, UsdtProbe p, int pid) {
    for (int i = 0; i < probes.size(); i++) {
      if (probes.get(i).equals(p) && pids.get(i) == pid) {
        return true;
      }
    }
    return false;
  }

  void collect(MetricSink sink) {
    UsdtCounter c = counter;
    if (c == null) {
      return;
    }
    List<UsdtProbe> probes = c.probes();
    long now = System.nanoTime();
    for (Map.Entry<Long, Long> e : c.hitsByProcess().entrySet()) {
      int slot = (int) (e.getKey() >>> 32);
      int pid = (int) (long) e.getKey();
      if (slot >= probes.size()) {
        continue;
      }
      AttributesBuilder a = probe(probes.get(slot)).toBuilder().put(Identity.PID, (long) pid);
      cgroups
          .of(pid, now)
          .ifPresent(
              ids -> {
                a.put(Identity.CGROUP_ID, ids.v2());
                a.put(Identity.CGROUP_V1_ID, ids.v1());
              });
      sink.counter(HITS, a.build(), e.getValue());
    }
    for (UsdtProbe p : probes) {
      sink.gauge(SITES, probe(p), p.locations().size());
    }
    sink.counter(UNATTRIBUTED, Attributes.empty(), c.unowned());
  }

  private static Attributes probe(UsdtProbe p) {
    return Attributes.of(PROVIDER, p.provider(), NAME, p.name(), BINARY, binary(p.binary()));
  }

  /**
   * The binary as its process names it: BCC finds a process's binaries through {@code
   * /proc/PID/root}, which is dropped.
   */
  static String binary(java.nio.file.Path path) {
    String s = path.toString();
    java.util.regex.Matcher m = PROC_ROOT.matcher(s);
    return m.lookingAt() ? s.substring(m.end() - 1) : s;
  }

  private static final java.util.regex.Pattern PROC_ROOT =
      java.util.regex.Pattern.compile("/proc/[0-9]+/root/");

  /** Frees the pairs of processes that have exited. */
  void prune() {
    UsdtCounter c = counter;
    if (c == null) {
      return;
    }
    for (long key : c.hitsByProcess().keySet()) {
      int pid = (int) key;
      if (!Files.exists(paths.proc(Integer.toString(pid)))) {
        c.forget((int) (key >>> 32), pid);
      }
    }
  }

  /** The counter attached, or null when nothing is configured. */
  public UsdtCounter counter() {
    return counter;
  }

  @Override
  public void close() {
    if (counter != null) {
      counter.close();
      counter = null;
    }
  }
}
