package dev.aiprof.collectors.jfr;

import dev.aiprof.testing.JfrWorkload;
import dev.aiprof.testing.WorkloadProcess;
import java.util.Map;

/**
 * A {@link JfrWorkload} child JVM that is stopped the normal way on close ({@code stop}, then end
 * of output), so that JFR deletes its disk repository as it does at every normal exit; a JVM killed
 * with SIGKILL leaves its repository directory in /tmp.
 */
final class Workload implements AutoCloseable {
  private final WorkloadProcess process;
  private boolean stopped;

  private Workload(WorkloadProcess process) {
    this.process = process;
  }

  static Workload start(int threads) {
    return new Workload(WorkloadProcess.start(null, JfrWorkload.class, Integer.toString(threads)));
  }

  long pid() {
    return process.pid();
  }

  void send(String line) {
    process.send(line);
  }

  String readLine() {
    return process.readLine();
  }

  Map<Integer, String> threads(String prefix) {
    return process.threads(prefix);
  }

  /** Asks the JVM to exit and waits for its output to end (it exits within milliseconds). */
  void stop() {
    if (!stopped) {
      stopped = true;
      process.send("stop");
      while (process.readLine() != null) {
        // drain until the JVM has closed its stdout
      }
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      process.close();
    }
  }
}
