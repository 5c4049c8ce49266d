package dev.aiprof.agent.probes;

import dev.aiprof.api.HostPaths;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.BpfProgram;
import dev.aiprof.bpf.ProgramInfo;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.custom.bpftrace.ScriptState;
import dev.aiprof.custom.bpftrace.ScriptStatus;
import dev.aiprof.custom.programs.ProcessPrograms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds the BPF programs of this host's aiprof agents and of their bpftrace children: every process
 * whose command line names aiprof, or that is bpftrace started by one (its script under the state
 * directory), and the programs each holds ({@link ProcessPrograms}), with their kernel accounting.
 * Built-in programs are told apart by the objects this agent ships (a program's name in one of them
 * names its object). At most {@value #MAX_PROCESSES} processes are looked at.
 */
public final class ProbeInventory {
  static final int MAX_PROCESSES = 65_536;

  /** The objects this agent ships under /bpf/ whose programs it names. */
  static final List<String> OBJECTS =
      List.of("sched", "phase", "cuda", "probe", "usdt_count", "profile", "io", "net");

  private final HostPaths paths;
  private final Path stateDir;

  public ProbeInventory(HostPaths paths, Path stateDir) {
    this.paths = paths;
    this.stateDir = stateDir;
  }

  /** Built-in and custom programs held now. */
  public record Found(List<LoadedProgram> builtIn, List<LoadedProgram> custom) {}

  public Found find() {
    Map<String, String> objectOf = objectsByProgram();
    List<LoadedProgram> builtIn = new ArrayList<>();
    List<LoadedProgram> custom = new ArrayList<>();
    int seen = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(paths.procfs(), "[0-9]*")) {
      for (Path proc : procs) {
        if (++seen > MAX_PROCESSES) {
          break;
        }
        int pid = Integer.parseInt(proc.getFileName().toString());
        List<String> cmd = cmdline(proc);
        Optional<String> script = scriptOf(cmd);
        boolean agent = cmd.stream().anyMatch(a -> a.contains("aiprof")) && script.isEmpty();
        if (!agent && script.isEmpty()) {
          continue;
        }
        TreeSet<Integer> ids = ProcessPrograms.of(paths, pid);
        for (int id : ids) {
          ProgramStats s;
          try {
            s = ProgramInfo.statsOfId(id);
          } catch (RuntimeException e) {
            continue;
          }
          String source = script.orElse(objectOf.getOrDefault(s.name(), "?"));
          LoadedProgram p =
              new LoadedProgram(pid, source, id, s.name(), s.runCount(), s.runTimeNs());
          (script.isPresent() ? custom : builtIn).add(p);
        }
      }
    } catch (IOException e) {
      // no /proc: nothing found
    }
    return new Found(builtIn, custom);
  }

  /** The scripts' state files under the state directory, sorted by name. */
  public List<ScriptStatus> scripts() {
    List<ScriptStatus> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir, "*.state")) {
      for (Path f : new TreeSet<>(iterable(files))) {
        try {
          ScriptStatus st = ScriptStatus.parse(Files.readString(f));
          if (st.pid() > 0 && !Files.exists(paths.proc(Integer.toString(st.pid())))) {
            // the agent that wrote it is gone (killed): its bpftrace died with it
            st =
                new ScriptStatus(
                    st.name(),
                    st.origin(),
                    ScriptState.STOPPED,
                    0,
                    st.starts(),
                    st.failures(),
                    "state file left by an agent that is gone");
          }
          out.add(st);
        } catch (IOException | RuntimeException e) {
          // written meanwhile or not ours
        }
      }
    } catch (IOException e) {
      // no agent ran scripts here
    }
    return out;
  }

  private static List<Path> iterable(DirectoryStream<Path> ds) {
    List<Path> l = new ArrayList<>();
    ds.forEach(l::add);
    return l;
  }

  /** The script name when {@code cmd} is bpftrace running a script of the state directory. */
  Optional<String> scriptOf(List<String> cmd) {
    if (cmd.isEmpty() || !cmd.getFirst().endsWith("bpftrace")) {
      return Optional.empty();
    }
    Path last = Path.of(cmd.getLast());
    if (last.getParent() == null || !last.getParent().equals(stateDir)) {
      return Optional.empty();
    }
    return Optional.of(last.getFileName().toString().replaceFirst("\\.bt$", ""));
  }

  private static List<String> cmdline(Path proc) {
    try {
      String raw = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
      return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Program name (as the kernel truncates it, 15 characters) to the shipped object holding it. */
  static Map<String, String> objectsByProgram() {
    Map<String, String> out = new HashMap<>();
    for (String stem : OBJECTS) {
      try (BpfObject o = BpfObject.openResource(BpfObject.class, stem)) {
        for (BpfProgram p : o.programs()) {
          String n = p.name();
          out.putIfAbsent(n.length() > 15 ? n.substring(0, 15) : n, stem);
        }
      } catch (RuntimeException e) {
        // not shipped by this build
      }
    }
    return out;
  }
}
