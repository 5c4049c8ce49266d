package dev.aiprof.custom.bpftrace;

import dev.aiprof.api.log.ThrottledLog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Runs one script as a supervised child, {@code setpriv --pdeathsig KILL -- bpftrace -f json FILE}:
 * the kernel kills bpftrace when the thread that started it ends, so the agent's death, even by
 * SIGKILL, takes it along. That thread is this runner's own platform thread, alive as long as the
 * child (a virtual thread's carrier could end under it). The runner reads the child's stdout
 * (bounded lines, {@link OutputParser}) into the script's {@link ScriptMetrics}, keeps its stderr
 * tail as the last error, and when bpftrace exits (a compile or attach error, an {@code exit()}),
 * starts it again after a backoff that doubles from {@code minBackoff} to {@code maxBackoff} and
 * returns to the minimum after a run that lasted at least {@code maxBackoff}.
 *
 * <p>Lifecycle: {@link #start}, {@link #close} (SIGTERM, then SIGKILL after 2 s; idempotent).
 * Thread-safe accessors.
 */
final class ScriptRunner implements AutoCloseable {
  private static final ThrottledLog LOG = ThrottledLog.of(ScriptRunner.class);

  /** How the runner starts bpftrace: the command for a script file. */
  interface Launcher {
    List<String> command(Path scriptFile);
  }

  private final Script script;
  private final Path file;
  private final Launcher launcher;
  private final OutputParser parser;
  private final int maxLine;
  private final ScriptMetrics metrics;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final IntConsumer childStarted;
  private final IntConsumer childEnded;
  private final StderrTail stderr = new StderrTail();
  private final Map<String, Integer> keyParts = new HashMap<>();
  private final Thread thread;

  private final AtomicLong starts = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong droppedKeys = new AtomicLong();
  private final AtomicLong overlong = new AtomicLong();
  private final AtomicLong unknownMaps = new AtomicLong();
  private final AtomicLong lostEvents = new AtomicLong();
  private volatile ScriptState state = ScriptState.STARTING;
  private volatile String lastError = "";
  private volatile Process process;
  private volatile boolean closed;
  private long endedPid = -1;

  ScriptRunner(
      Script script,
      Path file,
      Launcher launcher,
      OutputParser parser,
      int maxLine,
      ScriptMetrics metrics,
      Duration minBackoff,
      Duration maxBackoff,
      IntConsumer childStarted,
      IntConsumer childEnded) {
    this.script = script;
    this.file = file;
    this.launcher = launcher;
    this.parser = parser;
    this.maxLine = maxLine;
    this.metrics = metrics;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.childStarted = childStarted;
    this.childEnded = childEnded;
    script.maps().forEach(m -> keyParts.put(m.name(), Math.max(1, m.keys().size())));
    this.thread = new Thread(this::loop, "aiprof-bpftrace-" + script.name());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void loop() {
    Duration backoff = minBackoff;
    while (!closed) {
      long began = System.nanoTime();
      boolean attached;
      boolean failed = false;
      try {
        attached = runOnce();
      } catch (RuntimeException | Error e) {
        // supervised: the run is ended cleanly and started again, never left half-dead
        attached = false;
        failed = true;
        lastError = "runner failed: " + e;
        endAfterFailure();
      }
      if (closed) {
        break;
      }
      Duration ran = Duration.ofNanos(System.nanoTime() - began);
      if (!attached) {
        failures.incrementAndGet();
      }
      if (ran.compareTo(maxBackoff) >= 0) {
        backoff = minBackoff;
      }
      LOG.log(
          Level.WARNING,
          "bpftrace-exit-" + script.name(),
          "bpftrace script "
              + script.name()
              + " ("
              + script.origin()
              + ") "
              + (failed ? "runner failed" : attached ? "exited" : "failed to start")
              + ": "
              + (lastError.isEmpty() ? "no message" : lastError)
              + "; restarting in "
              + backoff.toMillis()
              + " ms");
      state = failed ? ScriptState.FAILED : ScriptState.BACKOFF;
      if (!pause(backoff)) {
        break;
      }
      backoff = nextBackoff(backoff, maxBackoff);
    }
    state = ScriptState.STOPPED;
  }

  /** The wait after {@code backoff}: doubled, at most {@code max}. */
  static Duration nextBackoff(Duration backoff, Duration max) {
    Duration twice = backoff.multipliedBy(2);
    return twice.compareTo(max) > 0 ? max : twice;
  }

  /** After the runner failed mid-run: kills the child and ends the run as an exit would. */
  private void endAfterFailure() {
    try {
      Process p = process;
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(2, TimeUnit.SECONDS);
      }
      if (p != null && endedPid != p.pid()) {
        endedPid = p.pid();
        childEnded.accept((int) p.pid());
      }
      metrics.runEnded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      lastError += "; and while ending the run: " + e;
    }
  }

  /** One run of bpftrace, to its exit; whether its probes attached. */
  private boolean runOnce() {
    state = ScriptState.STARTING;
    stderr.clear();
    Process p;
    try {
      p =
          new ProcessBuilder(launcher.command(file))
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      p.getOutputStream().close();
    } catch (IOException e) {
      lastError = "cannot start bpftrace: " + e.getMessage();
      return false;
    }
    process = p;
    if (closed) {
      p.destroyForcibly();
    }
    starts.incrementAndGet();
    int pid = (int) p.pid();
    childStarted.accept(pid);
    Thread err = new Thread(() -> stderr.drain(p.getErrorStream()), thread.getName() + "-stderr");
    err.setDaemon(true);
    err.start();
    boolean attached = false;
    LineReader lines = new LineReader(p.getInputStream(), maxLine);
    try {
      for (String l = lines.next(); l != null; l = lines.next()) {
        switch (parser.parse(l, keyParts)) {
          case OutputLine.Attached a -> {
            attached = true;
            state = ScriptState.RUNNING;
          }
          case OutputLine.MapPrint m -> {
            droppedKeys.addAndGet(m.droppedKeys());
            if (!metrics.update(m)) {
              unknownMaps.incrementAndGet();
            }
          }
          case OutputLine.Lost lost -> lostEvents.addAndGet(lost.events());
          case OutputLine.Other o -> {}
        }
        overlong.set(lines.overlong());
      }
    } catch (IOException e) {
      // the pipe closed: the process is ending
    }
    try {
      p.waitFor();
      err.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    endedPid = pid;
    childEnded.accept(pid);
    metrics.runEnded();
    String msg = stderr.message();
    lastError =
        msg.isEmpty() ? (closed ? "" : "bpftrace exited with status " + p.exitValue()) : msg;
    return attached;
  }

  private boolean pause(Duration d) {
    synchronized (this) {
      long end = System.nanoTime() + d.toNanos();
      while (!closed) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          return false;
        }
      }
      return false;
    }
  }

  Script script() {
    return script;
  }

  ScriptState state() {
    return state;
  }

  /** bpftrace's last message on stderr (its compile or attach error), or "". */
  String lastError() {
    return lastError;
  }

  /** The running bpftrace's pid, or 0. */
  int pid() {
    Process p = process;
    return p != null && p.isAlive() ? (int) p.pid() : 0;
  }

  long starts() {
    return starts.get();
  }

  long failures() {
    return failures.get();
  }

  long droppedKeys() {
    return droppedKeys.get();
  }

  long overlongLines() {
    return overlong.get();
  }

  long unknownMaps() {
    return unknownMaps.get();
  }

  long lostEvents() {
    return lostEvents.get();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      notifyAll();
    }
    Process p = process;
    if (p != null) {
      p.destroy();
      try {
        if (!p.waitFor(2, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
