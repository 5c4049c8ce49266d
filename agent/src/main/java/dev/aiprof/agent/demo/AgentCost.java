package dev.aiprof.agent.demo;

import dev.aiprof.agent.profile.SelfCost;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The agent's own cost in the demo, as a share of one CPU: the process's CPU time over the window
 * in which the reference requests ran, divided by that window's wall time; the CPU it spent before
 * (its start-up: JVM, BPF loads, the model written and loaded by the server meanwhile) is kept
 * apart. RSS at the window's end. The demo's own thread (reading progress lines) is part of the
 * agent process and counted: it sleeps almost always.
 *
 * @param windowCpuNs agent CPU in the requests' window
 * @param windowJitNs the part of it its JIT compiler threads spent (a cost of its first minutes)
 * @param windowWallNs the window's wall time
 * @param startupCpuNs agent CPU from the JVM's start to the window's start
 * @param rssBytes resident set size at the end of the window
 */
record AgentCost(
    long windowCpuNs, long windowJitNs, long windowWallNs, long startupCpuNs, long rssBytes) {

  /** The share of one CPU the agent used during the window. */
  double cpuShare() {
    return windowWallNs == 0 ? 0 : (double) windowCpuNs / windowWallNs;
  }

  String line() {
    return String.format(
        Locale.ROOT,
        "agent: %.1f%% of one CPU over the %.1f s of requests (%.2f s CPU, of which %.2f s its JIT"
            + " compiler warming up); start-up apart: %.2f s CPU; RSS %d MB",
        cpuShare() * 100,
        windowWallNs / 1e9,
        windowCpuNs / 1e9,
        windowJitNs / 1e9,
        startupCpuNs / 1e9,
        rssBytes >> 20);
  }

  /** A running measurement. */
  record Meter(long cpuNs, long jitNs, long wallNs) {
    AgentCost stop() {
      long cpu = cpu();
      return new AgentCost(
          cpu - cpuNs, Math.max(0, jit() - jitNs), System.nanoTime() - wallNs, cpuNs, rss());
    }
  }

  static Meter start() {
    return new Meter(cpu(), jit(), System.nanoTime());
  }

  private static long jit() {
    return SelfCost.compilerCpuNs(Path.of("/proc/self/task"));
  }

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long rss() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.substring(6).replace("kB", "").strip()) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
