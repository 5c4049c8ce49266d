package dev.aiprof.agent.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts the demo workload: a {@code train} and a {@code noise} process pinned to the same CPU,
 * each in its own cgroup under {@code aiprof-demo} when the host has cgroup v2. Closing stops both
 * and removes what it created.
 */
public final class Demo implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> cgroups = new ArrayList<>();
  private final Path dataFile;
  private final Optional<Path> root;

  private Demo(Optional<Path> v2, Path dataFile) {
    // One cgroup per run (the agent's pid in its name), so concurrent demos stay apart.
    this.root = v2.map(p -> p.resolve("aiprof-demo-" + ProcessHandle.current().pid()));
    this.dataFile = dataFile;
  }

  /**
   * @param v2 the cgroup v2 mount, if any
   * @param dataDir a disk-backed directory for the loader's data file (O_DIRECT)
   * @param cpu the CPU both processes share
   */
  public static Demo start(Optional<Path> v2, Path dataDir, int cpu) throws IOException {
    Path data = Files.createTempFile(dataDir, "aiprof-demo-", ".bin");
    Demo d = new Demo(v2, data);
    try {
      DemoWorkload.writeData(data, 64);
      d.root.ifPresent(r -> d.mkdir(r));
      d.spawn("noise", cpu);
      d.spawn("train", cpu, data.toString());
      return d;
    } catch (IOException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  /** The training process (the one to profile thread by thread). */
  public long trainPid() {
    return processes.get(1).pid();
  }

  /** The cgroup holding both processes, if the host has cgroup v2. */
  public Optional<Path> cgroup() {
    return root;
  }

  private void spawn(String role, int cpu, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "taskset",
                "-c",
                Integer.toString(cpu),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                DemoWorkload.class.getName(),
                role));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(p);
    if (root.isPresent()) {
      Path dir = root.get().resolve(role);
      mkdir(dir);
      Files.writeString(dir.resolve("cgroup.procs"), Long.toString(p.pid()));
    }
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    if (!"ready".equals(r.readLine())) {
      throw new IOException("demo " + role + " process did not start");
    }
  }

  private void mkdir(Path dir) {
    try {
      Files.createDirectories(dir);
      cgroups.addFirst(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
    }
  }

  /** rmdir, retried for a few seconds: a cgroup stays busy briefly after its last task exits. */
  private static void removeCgroup(Path c) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        Files.deleteIfExists(c);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          System.err.println("aiprof: could not remove " + c + ": " + e.getMessage());
          return;
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Path c : cgroups) {
      removeCgroup(c);
    }
    try {
      Files.deleteIfExists(dataFile);
    } catch (IOException e) {
      System.err.println("aiprof: could not remove " + dataFile + ": " + e.getMessage());
    }
  }
}
