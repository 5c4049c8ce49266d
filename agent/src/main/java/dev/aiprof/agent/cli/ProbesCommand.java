package dev.aiprof.agent.cli;

import dev.aiprof.agent.probes.LoadedProgram;
import dev.aiprof.agent.probes.ProbeInventory;
import dev.aiprof.agent.probes.ProbeTable;
import dev.aiprof.bpf.RunTimeStats;
import dev.aiprof.custom.bcc.Bcc;
import dev.aiprof.custom.bcc.BccException;
import dev.aiprof.custom.bcc.JnaBcc;
import dev.aiprof.custom.bcc.UsdtProbe;
import dev.aiprof.custom.bpftrace.BpftraceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code aiprof probes}: the BPF programs running agents hold (built-in) and their bpftrace scripts
 * (custom), with state, cost per run ({@code BPF_ENABLE_STATS}) and last error. Reads the host;
 * needs the privileges to read other processes' fdinfo and open programs by id (root).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "probes",
    description =
        "List the BPF programs of this host's aiprof agents: built-in ones and bpftrace scripts,"
            + " with state, cost per run and last error.")
final class ProbesCommand implements Callable<Integer> {
  @Mixin HostOptions host;

  @Option(
      names = "--state-dir",
      description = "The running agent's bpftrace.state-dir (default: ${DEFAULT-VALUE}).")
  Path stateDir = Path.of(BpftraceSettings.STATE_DIR.defaultValue());

  @Option(
      names = "--stats",
      description =
          "Turn run-time statistics on for this long and report the cost over it (e.g. 5s).")
  String stats;

  @Option(
      names = "--usdt",
      paramLabel = "BINARY|PID",
      description =
          "Instead, list the USDT probes of a binary (a path) or of a process's binaries (a pid),"
              + " found with BCC (libbcc.so.0).")
  String usdt;

  @Override
  public Integer call() throws Exception {
    if (usdt != null) {
      return usdt();
    }
    ProbeInventory inv = new ProbeInventory(host.paths(), stateDir);
    ProbeInventory.Found found;
    boolean on = statsEnabled();
    if (stats != null) {
      Duration d = BpftraceSettings.PRINT_INTERVAL.type().parse(stats);
      try (RunTimeStats s = RunTimeStats.enable()) {
        ProbeInventory.Found before = inv.find();
        Thread.sleep(d.toMillis());
        found = minus(inv.find(), before);
      }
      on = true;
    } else {
      found = inv.find();
    }
    System.out.print(ProbeTable.render(found.builtIn(), inv.scripts(), found.custom(), on));
    return 0;
  }

  private int usdt() {
    List<UsdtProbe> probes;
    try {
      Bcc bcc = JnaBcc.load();
      probes =
          usdt.matches("\\d+")
              ? bcc.usdtProbes(Integer.parseInt(usdt))
              : bcc.usdtProbes(Path.of(usdt));
    } catch (BccException e) {
      throw new UsageException(e.getMessage());
    }
    System.out.print(ProbeTable.usdt(probes));
    return 0;
  }

  private static ProbeInventory.Found minus(ProbeInventory.Found now, ProbeInventory.Found then) {
    return new ProbeInventory.Found(
        minus(now.builtIn(), then.builtIn()), minus(now.custom(), then.custom()));
  }

  private static List<LoadedProgram> minus(List<LoadedProgram> now, List<LoadedProgram> then) {
    Map<Integer, LoadedProgram> before = new HashMap<>();
    then.forEach(p -> before.put(p.id(), p));
    return now.stream()
        .map(
            p -> {
              LoadedProgram b = before.get(p.id());
              return b == null
                  ? p
                  : new LoadedProgram(
                      p.owner(),
                      p.source(),
                      p.id(),
                      p.name(),
                      p.runs() - b.runs(),
                      p.runTimeNs() - b.runTimeNs());
            })
        .toList();
  }

  private static boolean statsEnabled() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/bpf_stats_enabled")).strip().equals("1");
    } catch (IOException e) {
      return false;
    }
  }
}
