package dev.aiprof.host;

import dev.aiprof.api.HostPaths;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.util.GlobalConfig;
import oshi.util.platform.linux.ProcPath;
import oshi.util.platform.linux.SysPath;

/**
 * Reads the {@link Inventory} through OSHI, pointed at the agent's {@code --procfs} and {@code
 * --sysfs}. OSHI takes those paths from its {@link GlobalConfig} once, when its path classes
 * initialise ({@code oshi.util.proc.path}, {@code oshi.util.sys.path}): one host tree per JVM. This
 * class sets them before OSHI's first use and turns libudev off ({@code oshi.os.linux.allowudev}),
 * since libudev reads the real {@code /sys} whatever the configuration says; if OSHI was already
 * initialised on other paths, there is no inventory (empty, with the reason).
 *
 * <p>Thread-safe (synchronised); the first call costs 0.1–0.5 s (OSHI's processor detection).
 */
final class OshiInventory {
  private OshiInventory() {}

  /** The inventory, or throws IllegalStateException naming why OSHI cannot read this tree. */
  static synchronized Inventory read(HostPaths paths) {
    String proc = normal(paths.procfs().toAbsolutePath().toString());
    String sys = normal(paths.sysfs().toAbsolutePath().toString());
    GlobalConfig.set(GlobalConfig.OSHI_UTIL_PROC_PATH, proc);
    GlobalConfig.set(GlobalConfig.OSHI_UTIL_SYS_PATH, sys);
    GlobalConfig.set(GlobalConfig.OSHI_OS_LINUX_ALLOWUDEV, false);
    if (!ProcPath.PROC.equals(proc) || !SysPath.SYS.equals(sys + "/")) {
      throw new IllegalStateException(
          "OSHI already reads "
              + ProcPath.PROC
              + " and "
              + SysPath.SYS
              + " in this JVM (its paths are set once), not "
              + proc
              + " and "
              + sys);
    }
    CentralProcessor p = new SystemInfo().getHardware().getProcessor();
    return new Inventory(
        p.getLogicalProcessorCount(),
        p.getPhysicalProcessorCount(),
        p.getPhysicalPackageCount(),
        p.getProcessorIdentifier().getName().strip());
  }

  /** As OSHI writes a path: a leading slash, no trailing one. */
  static String normal(String path) {
    return '/' + path.replaceAll("/$|^/", "");
  }
}
