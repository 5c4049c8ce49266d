package dev.aiprof.collectors.jfr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the JDK's {@code jcmd} tool against one JVM: the documented, supported way to run a
 * diagnostic command ({@code JFR.start}, {@code JFR.stop}) without a JMX connection. jcmd itself
 * attaches with the attach API, which reaches JVMs in containers ({@code /proc/PID/root/tmp}) and,
 * as root, JVMs of other users. Each call starts a small JVM (about 0.3 s of CPU), so the collector
 * calls it twice per streamed JVM: to start and to stop its recording.
 *
 * <p>Thread-safe (stateless).
 */
final class Jcmd {
  private final Path executable;
  private final Duration timeout;

  Jcmd(Path executable, Duration timeout) {
    this.executable = executable;
    this.timeout = timeout;
  }

  /**
   * Runs {@code command} (words) in JVM {@code pid} and returns its output. Throws when jcmd cannot
   * run or attach; jcmd exits 0 when the command itself fails, so callers check the output.
   */
  String run(int pid, List<String> command) throws JfrException {
    if (!Files.isExecutable(executable)) {
      throw new JfrException(
          "no jcmd at " + executable + ": run the agent on a JDK or set jfr.jcmd to a jcmd tool");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(executable.toString());
    // A small, quick JVM that leaves no hsperfdata file (so JVM discovery does not see it).
    cmd.addAll(List.of("-J-XX:-UsePerfData", "-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1"));
    cmd.add(Integer.toString(pid));
    cmd.addAll(command);
    String what = "jcmd " + pid + " " + String.join(" ", command);
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
    } catch (IOException e) {
      throw new JfrException(what, e);
    }
    try {
      return await(p, what);
    } finally {
      p.destroyForcibly(); // no-op once it exited
    }
  }

  private String await(Process p, String what) throws JfrException {
    FutureTask<String> out = new FutureTask<>(() -> readAll(p.getInputStream()));
    Thread.ofVirtual().name("aiprof-jcmd-output").start(out);
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new JfrException(what + " did not finish within " + timeout);
      }
      String text = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (p.exitValue() != 0) {
        throw new JfrException(what + " failed (exit " + p.exitValue() + "): " + lastLines(text));
      }
      return text;
    } catch (ExecutionException | TimeoutException e) {
      throw new JfrException(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JfrException(what + " interrupted");
    }
  }

  private static String readAll(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The last few non-blank lines: where jcmd puts the error. */
  static String lastLines(String out) {
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }
}
