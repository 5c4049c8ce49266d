package dev.aiprof.agent.probes;

import dev.aiprof.custom.bcc.UsdtProbe;
import dev.aiprof.custom.bpftrace.ScriptStatus;
import java.util.List;
import java.util.Locale;

/**
 * The text {@code aiprof probes} prints (pure): built-in programs by agent, then the custom
 * bpftrace scripts with their state, their programs' cost and their last error.
 */
public final class ProbeTable {
  private ProbeTable() {}

  public static String render(
      List<LoadedProgram> builtIn,
      List<ScriptStatus> scripts,
      List<LoadedProgram> custom,
      boolean statsOn) {
    StringBuilder b = new StringBuilder();
    b.append("built-in programs (loaded by aiprof agents)\n");
    if (builtIn.isEmpty()) {
      b.append("  none: no aiprof agent holds BPF programs on this host\n");
    } else {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-7s %-11s %-16s %7s %-9s %12s %9s%n",
              "agent",
              "object",
              "program",
              "id",
              "state",
              "runs",
              "ns/run"));
      for (LoadedProgram p : builtIn) {
        b.append(
            String.format(
                Locale.ROOT,
                "  %-7d %-11s %-16s %7d %-9s %12d %9s%n",
                p.owner(),
                p.source(),
                p.name(),
                p.id(),
                "loaded",
                p.runs(),
                cost(p.runs(), p.runTimeNs())));
      }
    }
    b.append("custom programs (bpftrace scripts)\n");
    if (scripts.isEmpty()) {
      b.append("  none: set bpftrace.dir, bpftrace.files or bpftrace.inline\n");
    } else {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-16s %-9s %7s %6s %8s %8s %12s %9s%n",
              "script",
              "state",
              "pid",
              "starts",
              "failures",
              "programs",
              "runs",
              "ns/run"));
      for (ScriptStatus s : scripts) {
        List<LoadedProgram> mine =
            custom.stream()
                .filter(p -> p.source().equals(s.name()) && p.owner() == s.pid())
                .toList();
        long runs = mine.stream().mapToLong(LoadedProgram::runs).sum();
        long ns = mine.stream().mapToLong(LoadedProgram::runTimeNs).sum();
        b.append(
            String.format(
                Locale.ROOT,
                "  %-16s %-9s %7d %6d %8d %8d %12d %9s%n",
                s.name(),
                s.state().label(),
                s.pid(),
                s.starts(),
                s.failures(),
                mine.size(),
                runs,
                cost(runs, ns)));
        for (LoadedProgram p : mine) {
          b.append(
              String.format(
                  Locale.ROOT,
                  "    program %-16s id %-6d %12d runs %9s ns/run%n",
                  p.name(),
                  p.id(),
                  p.runs(),
                  cost(p.runs(), p.runTimeNs())));
        }
        if (!s.lastError().isBlank()) {
          for (String line : s.lastError().split("\n")) {
            b.append("    last error: ").append(line).append('\n');
          }
        }
      }
    }
    if (!statsOn) {
      b.append(
          "cost: run-time statistics are off (runs count nothing); turn them on with"
              + " 'sysctl kernel.bpf_stats_enabled=1' or 'aiprof probes --stats 5s'\n");
    }
    return b.toString();
  }

  /** USDT probes, one line each: provider:name, semaphore, sites (file offsets), binary. */
  public static String usdt(List<UsdtProbe> probes) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-32s %-10s %-5s %-24s %s%n",
            "probe",
            "semaphore",
            "args",
            "sites",
            "binary"));
    for (UsdtProbe p : probes) {
      String sites =
          String.join(",", p.locations().stream().map(l -> "0x" + Long.toHexString(l)).toList());
      b.append(
          String.format(
              Locale.ROOT,
              "%-32s %-10s %-5d %-24s %s%n",
              p.id(),
              p.semaphoreOffset() == 0 ? "-" : "0x" + Long.toHexString(p.semaphoreOffset()),
              p.arguments(),
              sites,
              p.binary()));
    }
    b.append(probes.size()).append(" USDT probes\n");
    return b.toString();
  }

  private static String cost(long runs, long ns) {
    return runs == 0 ? "-" : String.format(Locale.ROOT, "%.0f", (double) ns / runs);
  }
}
