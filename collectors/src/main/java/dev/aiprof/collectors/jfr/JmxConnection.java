package dev.aiprof.collectors.jfr;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import jdk.jfr.consumer.EventStream;
import jdk.management.jfr.RemoteRecordingStream;

/**
 * The fallback mechanism: the attach API's {@code startLocalManagementAgent()} (a JMX connector on
 * the target's loopback), then a {@link RemoteRecordingStream} with only {@link JfrEvents}. The
 * stream copies chunks into a local temporary repository (bounded by max age). Closing closes the
 * remote recording and the connection; the target keeps its local management agent (there is no API
 * to stop it), which is why this is not the primary mechanism.
 */
final class JmxConnection implements JfrConnection {
  private final JMXConnector connector;
  private final RemoteRecordingStream stream;
  private boolean closed;

  private JmxConnection(JMXConnector connector, RemoteRecordingStream stream) {
    this.connector = connector;
    this.stream = stream;
  }

  static JmxConnection open(JvmProcess jvm, JfrSettings settings) throws JfrException {
    if (!jvm.sameNetNamespace()) {
      throw new JfrException(
          "JVM pid "
              + jvm.pid()
              + " is in another network namespace: its local JMX agent is unreachable from here");
    }
    String address = localAgent(jvm);
    JMXConnector connector = connect(address, settings.timeout(), jvm);
    try {
      RemoteRecordingStream stream =
          new RemoteRecordingStream(connector.getMBeanServerConnection());
      stream.setSettings(JfrEvents.settings(settings.minDuration()));
      stream.setMaxAge(Duration.ofMinutes(2));
      System.getLogger(JmxConnection.class.getName())
          .log(
              System.Logger.Level.INFO,
              "pid "
                  + jvm.pid()
                  + ": streaming over JMX; the JVM keeps the local management agent this started");
      return new JmxConnection(connector, stream);
    } catch (IOException | RuntimeException e) {
      closeQuietly(connector);
      throw new JfrException("JFR over JMX in JVM pid " + jvm.pid(), e);
    }
  }

  private static String localAgent(JvmProcess jvm) throws JfrException {
    VirtualMachine vm = Attach.attach(jvm);
    try {
      Attach.requireJava17(Attach.systemProperties(vm, jvm), jvm);
      return vm.startLocalManagementAgent();
    } catch (IOException e) {
      throw new JfrException("starting the local management agent in JVM pid " + jvm.pid(), e);
    } finally {
      Attach.detach(vm);
    }
  }

  private static JMXConnector connect(String address, Duration timeout, JvmProcess jvm)
      throws JfrException {
    FutureTask<JMXConnector> task =
        new FutureTask<>(() -> JMXConnectorFactory.connect(new JMXServiceURL(address)));
    Thread.ofVirtual().name("aiprof-jfr-jmx-connect").start(task);
    try {
      return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new JfrException("JMX connection to JVM pid " + jvm.pid(), e.getCause());
    } catch (TimeoutException e) {
      task.cancel(true);
      throw new JfrException("JMX connection to JVM pid " + jvm.pid() + " timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JfrException("JMX connection to JVM pid " + jvm.pid() + " interrupted");
    }
  }

  private static void closeQuietly(JMXConnector c) {
    try {
      c.close();
    } catch (IOException e) {
      // the connection is gone either way
    }
  }

  @Override
  public String mechanism() {
    return "jmx";
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
    stream.close(); // closes the remote recording when the target still answers
    closeQuietly(connector);
  }
}
