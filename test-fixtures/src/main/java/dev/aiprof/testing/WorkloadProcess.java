package dev.aiprof.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A workload generator running as a child JVM (optionally pinned to CPUs with taskset), talking the
 * {@code ready}/{@code go}/{@code stop} protocol of {@link Contention}. Closing kills it.
 */
public final class WorkloadProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final OutputStream in;

  private WorkloadProcess(Process process) {
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = process.getOutputStream();
  }

  /**
   * Starts {@code mainClass} with {@code args} in a JVM on this test's class path, pinned to {@code
   * cpus} (a taskset list such as "1", or null for no pinning), and waits for its {@code ready}.
   */
  public static WorkloadProcess start(String cpus, Class<?> mainClass, String... args) {
    return startUnder(cpus == null ? List.of() : List.of("taskset", "-c", cpus), mainClass, args);
  }

  /**
   * Starts {@code mainClass} as {@link #start} does, its JVM run by the command {@code prefix}
   * (e.g. {@code ip netns exec NAME}), and waits for its {@code ready}.
   */
  public static WorkloadProcess startUnder(
      List<String> prefix, Class<?> mainClass, String... args) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xmx64m",
            "-cp",
            System.getProperty("java.class.path"),
            mainClass.getName()));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      WorkloadProcess w = new WorkloadProcess(p);
      if (!Contention.awaitLine(w.out, "ready")) {
        w.close();
        throw new IllegalStateException("workload exited before ready: " + cmd);
      }
      return w;
    } catch (IOException e) {
      throw new UncheckedIOException("start " + cmd, e);
    }
  }

  public long pid() {
    return process.pid();
  }

  /** Sends one line of the control protocol ("go", "stop", or a workload's own commands). */
  public void send(String line) {
    try {
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("write to workload " + pid(), e);
    }
  }

  /** Reads the workload's next line of output, or null at its end. */
  public String readLine() {
    try {
      return out.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException("read from workload " + pid(), e);
    }
  }

  /** Thread ids by thread name (comm) whose name starts with {@code prefix}. */
  public Map<Integer, String> threads(String prefix) {
    Map<Integer, String> tids = new TreeMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid()), "task");
    try (Stream<Path> s = Files.list(tasks)) {
      for (Path t : s.toList()) {
        String comm = Files.readString(t.resolve("comm")).strip();
        if (comm.startsWith(prefix)) {
          tids.put(Integer.parseInt(t.getFileName().toString()), comm);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("list threads of " + pid(), e);
    }
    return tids;
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
