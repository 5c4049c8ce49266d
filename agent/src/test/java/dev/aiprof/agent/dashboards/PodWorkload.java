package dev.aiprof.agent.dashboards;

import dev.aiprof.agent.identity.Fixtures;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.PhasedWorkload;
import dev.aiprof.testing.TcpTraffic;
import dev.aiprof.testing.WorkloadProcess;
import java.nio.file.Path;

/**
 * One pod of the recorded kubelet answer ({@code kubelet/pods-containerd.json}) played by a real
 * process: a {@link PhasedWorkload} (phases load, compute, wait, io with real disk reads, runqueue
 * contention and sleeps) moved into the pod's container cgroup, laid out as the kubelet's systemd
 * driver does (under a top slice named after this test JVM, so parallel runs do not meet). Close
 * kills the process, then removes the cgroups it created.
 */
final class PodWorkload implements AutoCloseable {
  /** A pod of the fixture: where its container's cgroup goes, and what the kubelet says of it. */
  record Pod(String namespace, String name, String uid, String containerId, String qos) {
    /** The container's cgroup, relative to the v2 root. */
    String cgroup() {
      String uidPart = uid.replace('-', '_');
      String top = "kubepods-" + ProcessHandle.current().pid() + ".slice/";
      String pod =
          qos.isEmpty()
              ? "kubepods-pod" + uidPart + ".slice"
              : "kubepods-" + qos + ".slice/kubepods-" + qos + "-pod" + uidPart + ".slice";
      return top + pod + "/cri-containerd-" + containerId + ".scope";
    }
  }

  static final String NODE = Fixtures.NODE;
  static final Pod TRAINER =
      new Pod(
          "ml", "trainer-7d9f8b6c5-x2x9q", Fixtures.TRAINER_UID, Fixtures.TRAINER_ID, "burstable");
  static final Pod INFERENCE =
      new Pod(
          "serving",
          "inference-0",
          "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
          "b3eacd33433b31b5252351032c9b3e7a2e7aa7738d5decdf0dd6c62680853c06",
          "");

  private final Pod pod;
  private final CgroupDir cgroup;
  private final WorkloadProcess process;
  private WorkloadProcess tcp;

  private PodWorkload(Pod pod, CgroupDir cgroup, WorkloadProcess process) {
    this.pod = pod;
    this.cgroup = cgroup;
    this.process = process;
  }

  /**
   * Adds TCP to the workload: a {@link TcpTraffic} process in the same cgroup that opens a loopback
   * connection, moves 64 KiB each way, holds it 200 ms and closes it, over and over until close (so
   * the TCP panels have bytes, connections opened and closed, and lifetimes, per workload).
   */
  PodWorkload withTcp() {
    WorkloadProcess t;
    try {
      t = WorkloadProcess.start(null, TcpTraffic.class);
      tcp = t;
      cgroup.add(t.pid());
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
    Thread.ofVirtual()
        .start(
            () -> {
              String pair = "pair 127.0.0.1 16 4096 65536 200";
              try {
                t.send(pair);
                for (String line = t.readLine(); line != null; line = t.readLine()) {
                  if (line.startsWith("done ")) {
                    t.send(pair);
                  }
                }
              } catch (RuntimeException e) {
                // the process was killed
              }
            });
    return this;
  }

  /**
   * Starts the workload (its worker pinned to {@code cpu}, the rest of its JVM on another CPU),
   * marking phases through {@code markerLib} or sending them as OTLP spans to {@code otlpEndpoint}
   * (either may be null), and moves it into the pod's cgroup. It waits for {@link #go}; its output
   * is drained so it never blocks on a full pipe.
   */
  static PodWorkload start(
      Pod pod, int cpu, int rounds, Path data, Path markerLib, String otlpEndpoint) {
    return startIn(pod.cgroup(), pod, cpu, rounds, data, markerLib, otlpEndpoint);
  }

  /** As {@link #start}, in the cgroup {@code cgroup} (relative to the v2 root); pod may be null. */
  static PodWorkload startIn(
      String cgroup, Pod pod, int cpu, int rounds, Path data, Path markerLib, String otlpEndpoint) {
    CgroupDir cg = CgroupDir.create(cgroup);
    WorkloadProcess w = null;
    try {
      int others = (cpu + 1) % Runtime.getRuntime().availableProcessors();
      w =
          WorkloadProcess.start(
              Integer.toString(others),
              PhasedWorkload.class,
              Integer.toString(cpu),
              Integer.toString(rounds),
              data.toString(),
              markerLib == null ? "-" : markerLib.toString(),
              otlpEndpoint == null ? "-" : otlpEndpoint);
      cg.add(w.pid());
      WorkloadProcess out = w;
      Thread.ofVirtual().start(() -> drain(out));
      return new PodWorkload(pod, cg, w);
    } catch (RuntimeException | Error e) {
      if (w != null) {
        w.close();
      }
      cg.close();
      throw e;
    }
  }

  private static void drain(WorkloadProcess w) {
    try {
      while (w.readLine() != null) {
        // phase lines: the ground-truth test reads them, this one does not
      }
    } catch (RuntimeException e) {
      // the process was killed
    }
  }

  Pod pod() {
    return pod;
  }

  long pid() {
    return process.pid();
  }

  /** Starts the phases. */
  void go() {
    process.send("go");
  }

  @Override
  public void close() {
    try {
      if (tcp != null) {
        tcp.close();
      }
      process.close();
    } finally {
      cgroup.close();
    }
  }
}
