package dev.aiprof.collectors.jfr;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.EventStream;

/**
 * The primary mechanism: {@code jcmd PID JFR.start settings=none} with only {@link JfrEvents}
 * (bounded on disk by {@code maxage}/{@code maxsize}), the repository path from the target's {@code
 * jdk.jfr.repository} system property (read with the attach API), and {@link
 * EventStream#openRepository} on that path seen through {@code /proc/PID/root}. The stream starts
 * at the moment before the recording did. Closing stops the recording by id; once the target has no
 * recording left, JFR deletes its chunks.
 */
final class RepositoryConnection implements JfrConnection {
  private static final Pattern STARTED = Pattern.compile("Started recording (\\d+)");

  private final JvmProcess jvm;
  private final Jcmd jcmd;
  private final long recordingId;
  private final EventStream stream;
  private boolean closed;

  private RepositoryConnection(JvmProcess jvm, Jcmd jcmd, long recordingId, EventStream stream) {
    this.jvm = jvm;
    this.jcmd = jcmd;
    this.recordingId = recordingId;
    this.stream = stream;
  }

  static RepositoryConnection open(JvmProcess jvm, JfrSettings settings, Jcmd jcmd)
      throws JfrException {
    VirtualMachine vm = Attach.attach(jvm);
    try {
      Attach.requireJava17(Attach.systemProperties(vm, jvm), jvm);
      Instant before = Instant.now();
      long id = start(jvm, settings, jcmd);
      try {
        Path repository =
            repository(Attach.systemProperties(vm, jvm).getProperty("jdk.jfr.repository"), jvm);
        EventStream stream = EventStream.openRepository(repository);
        stream.setStartTime(before);
        return new RepositoryConnection(jvm, jcmd, id, stream);
      } catch (JfrException | IOException | RuntimeException e) {
        stop(jvm, jcmd, id);
        throw e instanceof JfrException j ? j : new JfrException("opening the repository", e);
      }
    } finally {
      Attach.detach(vm);
    }
  }

  private static long start(JvmProcess jvm, JfrSettings s, Jcmd jcmd) throws JfrException {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "JFR.start",
            "name=aiprof-" + ProcessHandle.current().pid(),
            "settings=none",
            "maxage=2m",
            "maxsize=64m",
            "flush-interval=" + s.flushInterval().toMillis() + "ms"));
    cmd.addAll(JfrEvents.jcmdOptions(s.minDuration()));
    String out = jcmd.run(jvm.pid(), cmd);
    Matcher m = STARTED.matcher(out);
    if (!m.find()) {
      throw new JfrException(
          "JFR.start in JVM pid "
              + jvm.pid()
              + " did not start a recording: "
              + Jcmd.lastLines(out));
    }
    return Long.parseLong(m.group(1));
  }

  private static Path repository(String path, JvmProcess jvm) throws JfrException {
    if (path == null || path.isBlank()) {
      throw new JfrException("JVM pid " + jvm.pid() + " reports no JFR repository");
    }
    Path seen = jvm.inside(path);
    if (!Files.isDirectory(seen) || !Files.isReadable(seen)) {
      throw new JfrException(
          "JFR repository of JVM pid " + jvm.pid() + " is not readable at " + seen);
    }
    return seen;
  }

  private static void stop(JvmProcess jvm, Jcmd jcmd, long id) {
    try {
      jcmd.run(jvm.pid(), List.of("JFR.stop", "name=" + id));
    } catch (JfrException e) {
      System.getLogger(RepositoryConnection.class.getName())
          .log(System.Logger.Level.WARNING, "stopping recording " + id + ": " + e.getMessage());
    }
  }

  @Override
  public String mechanism() {
    return "repository";
  }

  @Override
  public EventStream stream() {
    return stream;
  }

  @Override
  public void close(boolean stopRecording) {
    if (closed) {
      return;
    }
    closed = true;
    stream.close();
    if (stopRecording) {
      stop(jvm, jcmd, recordingId);
    }
  }
}
