package dev.aiprof.custom.bpftrace;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.follow.AgentTools;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.bpf.ProgramInfo;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.custom.programs.ProcessPrograms;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * Runs the user's bpftrace scripts ({@link ScriptSources}) as supervised children ({@link
 * ScriptRunner}) and reports their maps as metrics ({@link ScriptMetrics}), with its own counts:
 * per script, its state, starts, failures (compile or attach errors), dropped keys, skipped lines
 * and, from {@code BPF_ENABLE_STATS}, the CPU time its programs ran. The children are the agent's
 * {@link AgentTools}: never followed as workloads. Each script's generated file and its state are
 * written under {@code bpftrace.state-dir} for {@code aiprof probes}.
 *
 * <p>Lifecycle: start (children start on their threads; a script that fails does not fail the
 * collector), close (stops every child). Thread-safe.
 */
public final class BpftraceCollector implements Collector {
  public static final AttributeKey<String> SCRIPT =
      AttributeKey.stringKey("aiprof.bpftrace.script");
  public static final AttributeKey<String> STATE = AttributeKey.stringKey("aiprof.bpftrace.state");
  public static final AttributeKey<String> REASON =
      AttributeKey.stringKey("aiprof.bpftrace.reason");

  static final MetricId SCRIPTS =
      MetricId.gauge("aiprof.bpftrace.scripts", "Scripts by state (1 for the script's state)", "1");
  static final MetricId STARTS =
      MetricId.counter("aiprof.bpftrace.starts", "Times bpftrace was started for the script", "1");
  static final MetricId FAILURES =
      MetricId.counter(
          "aiprof.bpftrace.failures",
          "Runs of the script that ended before its probes attached (compile or attach errors)",
          "1");
  static final MetricId DROPPED =
      MetricId.counter(
          "aiprof.bpftrace.dropped",
          "Output dropped, by reason: keys (past bpftrace.max-keys), line (past"
              + " bpftrace.max-line), map (not declared), lost (bpftrace's lost events)",
          "1");
  static final MetricId RUN_TIME =
      MetricId.counter(
          "aiprof.bpftrace.program.run_time",
          "CPU time the script's BPF programs ran (BPF_ENABLE_STATS; 0 while stats are off)",
          "s");
  static final MetricId RUNS =
      MetricId.counter(
          "aiprof.bpftrace.program.runs",
          "Runs of the script's BPF programs (BPF_ENABLE_STATS)",
          "1");

  private final List<ScriptRunner> runners = new CopyOnWriteArrayList<>();
  private final List<ScriptMetrics> metrics = new ArrayList<>();
  private final List<CostTotal> costs = new ArrayList<>();
  private HostPaths paths;
  private AgentTools tools;
  private Path stateDir;

  @Override
  public void start(CollectorContext context) throws Exception {
    Settings s = context.settings();
    BpftraceSettings.check(s);
    paths = context.paths();
    tools = context.host(AgentTools.class);
    List<Script> scripts = ScriptSources.read(s);
    context.offer(BpftraceCollector.class, this);
    if (scripts.isEmpty()) {
      return;
    }
    List<String> command = BpftraceCommand.resolve(s.get(BpftraceSettings.COMMAND));
    stateDir = StateDir.prepare(Path.of(s.get(BpftraceSettings.STATE_DIR)));
    int orphans = StateDir.killOrphans(stateDir);
    if (orphans > 0) {
      System.getLogger(BpftraceCollector.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "killed "
                  + orphans
                  + " bpftrace processes left running scripts of "
                  + stateDir
                  + " by an earlier agent");
    }
    OutputParser parser = new OutputParser(s.get(BpftraceSettings.MAX_KEYS));
    PidCgroups cgroups = new PidCgroups(paths);
    Duration interval = s.get(BpftraceSettings.PRINT_INTERVAL);
    for (Script sc : scripts) {
      Path file = stateDir.resolve(sc.name() + ".bt");
      StateDir.write(stateDir, sc.name() + ".bt", sc.withPrints(interval));
      ScriptMetrics m =
          new ScriptMetrics(
              sc, pid -> cgroups.of(pid, System.nanoTime()), s.get(BpftraceSettings.MAX_KEYS));
      metrics.add(m);
      costs.add(new CostTotal());
      runners.add(
          new ScriptRunner(
              sc,
              file,
              f -> BpftraceCommand.command(command, f),
              parser,
              (int) Math.min(Integer.MAX_VALUE - 8, s.get(BpftraceSettings.MAX_LINE)),
              m,
              s.get(BpftraceSettings.BACKOFF_MIN),
              s.get(BpftraceSettings.BACKOFF_MAX),
              this::toolStarted,
              this::toolEnded));
    }
    context.metrics(this::collect);
    context.every("bpftrace-state", Duration.ofSeconds(1), this::writeStates);
    runners.forEach(ScriptRunner::start);
  }

  private final Map<Integer, dev.aiprof.api.follow.ProcessKey> toolKeys =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A child started: one of the agent's tools, by its key (pid and start time). */
  private void toolStarted(int pid) {
    dev.aiprof.api.follow.ProcStat.read(paths, pid)
        .ifPresent(
            st -> {
              toolKeys.put(pid, st.key());
              tools.add(st.key());
            });
  }

  private void toolEnded(int pid) {
    dev.aiprof.api.follow.ProcessKey k = toolKeys.remove(pid);
    if (k != null) {
      tools.remove(k);
    }
  }

  /** The scripts and their runners' state, for tests and {@code aiprof probes}. */
  public List<ScriptStatus> scripts() {
    List<ScriptStatus> out = new ArrayList<>();
    for (ScriptRunner r : runners) {
      out.add(
          new ScriptStatus(
              r.script().name(),
              r.script().origin(),
              r.state(),
              r.pid(),
              r.starts(),
              r.failures(),
              r.lastError()));
    }
    return out;
  }

  void collect(MetricSink sink) {
    metrics.forEach(m -> m.collect(sink));
    for (int i = 0; i < runners.size(); i++) {
      ScriptRunner r = runners.get(i);
      Attributes a = Attributes.of(SCRIPT, r.script().name());
      for (ScriptState st : ScriptState.values()) {
        sink.gauge(SCRIPTS, a.toBuilder().put(STATE, st.label()).build(), r.state() == st ? 1 : 0);
      }
      sink.counter(STARTS, a, r.starts());
      sink.counter(FAILURES, a, r.failures());
      sink.counter(
          DROPPED,
          a.toBuilder().put(REASON, "keys").build(),
          r.droppedKeys() + metrics.get(i).droppedCarry());
      sink.counter(DROPPED, a.toBuilder().put(REASON, "line").build(), r.overlongLines());
      sink.counter(DROPPED, a.toBuilder().put(REASON, "map").build(), r.unknownMaps());
      sink.counter(DROPPED, a.toBuilder().put(REASON, "lost").build(), r.lostEvents());
      ProgramStats cost = costs.get(i).add(r.pid(), this::programStats);
      sink.counter(RUN_TIME, a, cost.runTimeNs() / 1e9);
      sink.counter(RUNS, a, cost.runCount());
    }
  }

  /** The BPF_ENABLE_STATS accounting of each program {@code pid} holds, by program id. */
  Map<Integer, ProgramStats> programStats(int pid) {
    Map<Integer, ProgramStats> out = new HashMap<>();
    for (int id : ProcessPrograms.of(paths, pid)) {
      try {
        out.put(id, ProgramInfo.statsOfId(id));
      } catch (RuntimeException e) {
        // unloaded meanwhile
      }
    }
    return out;
  }

  /**
   * The running total of one script's program cost over all its runs: each collection adds, per
   * program id, what it ran since the last collection, so a restart (new programs, new ids) or a
   * backoff (no pid) never lowers the exported counters. Bounded by the programs one run holds.
   * Thread-safe.
   */
  static final class CostTotal {
    private final Map<Integer, ProgramStats> last = new HashMap<>();
    private long ns;
    private long runs;

    /** Adds the programs of {@code pid} (none when 0) and returns the total so far. */
    synchronized ProgramStats add(int pid, IntFunction<Map<Integer, ProgramStats>> statsOf) {
      Map<Integer, ProgramStats> now = pid > 0 ? statsOf.apply(pid) : Map.of();
      now.forEach(
          (id, p) -> {
            ProgramStats before = last.get(id);
            long dNs = p.runTimeNs() - (before == null ? 0 : before.runTimeNs());
            long dRuns = p.runCount() - (before == null ? 0 : before.runCount());
            ns += Math.max(0, dNs);
            runs += Math.max(0, dRuns);
          });
      last.keySet().retainAll(now.keySet());
      last.putAll(now);
      return new ProgramStats("", 0, ns, runs, 0);
    }
  }

  private void writeStates() {
    for (ScriptStatus st : scripts()) {
      try {
        StateDir.write(stateDir, st.name() + ".state", st.toStateFile());
      } catch (IOException e) {
        throw new UncheckedIOException("write state of bpftrace script " + st.name(), e);
      }
    }
  }

  @Override
  public void close() {
    runners.forEach(ScriptRunner::close);
    if (stateDir != null) {
      try {
        writeStates();
      } catch (UncheckedIOException e) {
        // best effort
      }
    }
  }
}
