package dev.aiprof.collectors.jfr;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.util.Properties;

/**
 * The attach API, with errors that say what to do. Attaching works for JVMs of the same effective
 * uid, or of any uid when the agent runs as root; the JDK finds a container JVM's attach socket
 * under {@code /proc/PID/root/tmp} by its namespace pid. Stateless.
 */
final class Attach {
  private Attach() {}

  static VirtualMachine attach(JvmProcess jvm) throws JfrException {
    try {
      return VirtualMachine.attach(Integer.toString(jvm.pid()));
    } catch (AttachNotSupportedException | IOException e) {
      throw new JfrException("attach to JVM pid " + jvm.pid() + " failed" + uidHint(jvm), e);
    }
  }

  static Properties systemProperties(VirtualMachine vm, JvmProcess jvm) throws JfrException {
    try {
      return vm.getSystemProperties();
    } catch (IOException e) {
      throw new JfrException("reading system properties of JVM pid " + jvm.pid(), e);
    }
  }

  static void detach(VirtualMachine vm) {
    try {
      vm.detach();
    } catch (IOException e) {
      // nothing is held in the target between operations: the socket just closes
    }
  }

  /** Requires Java 17+ in the target (JFR.start event settings, repository streaming). */
  static void requireJava17(Properties props, JvmProcess jvm) throws JfrException {
    String v = props.getProperty("java.specification.version", "0");
    int major = Integer.parseInt(v.startsWith("1.") ? v.substring(2) : v.split("\\.")[0]);
    if (major < 17) {
      throw new JfrException(
          "JVM pid " + jvm.pid() + " runs Java " + v + ": streaming its JFR events needs 17+");
    }
  }

  private static String uidHint(JvmProcess jvm) {
    long ours = new com.sun.security.auth.module.UnixSystem().getUid();
    if (ours != 0 && jvm.uid() >= 0 && jvm.uid() != ours) {
      return " (it runs as uid "
          + jvm.uid()
          + ", the agent as uid "
          + ours
          + ": run the agent as root or as uid "
          + jvm.uid()
          + ")";
    }
    return "";
  }
}
