package dev.aiprof.agent.backends;

import dev.aiprof.agent.profile.GroundTruth;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.PhasedWorkload;
import dev.aiprof.testing.WorkloadProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@link PhasedWorkload} in "traced" mode, in a pod-like cgroup of its own: {@value #ROUNDS}
 * rounds, each a {@code round} phase around {@code load}, {@code compute} (a rival thread on its
 * CPU: runqueue waits), {@code wait} (sleep) and {@code io}, after a {@code warmup} phase. Each
 * phase is marked through libaiprof.so and as an OTLP span sent to the agent's receiver; the
 * workload prints its spans' ids and its own kernel accounting of each phase, which this class
 * collects. Close stops it and removes its cgroup and data file. Not thread-safe, except the
 * collected lists.
 */
final class TracedWorkload implements AutoCloseable {
  static final int ROUNDS = 2;
  static final List<String> PHASES = List.of("load", "compute", "wait", "io");

  /** Spans of each kind (the workload's own, or the agent's from the marker): warm-up + rounds. */
  static final int SPANS = 1 + ROUNDS * (1 + PHASES.size());

  private final Path data;
  private final CgroupDir pod;
  private final String podUid;
  private final String containerId;
  private final WorkloadProcess process;
  private final List<WorkloadSpan> spans = new CopyOnWriteArrayList<>();
  private final List<GroundTruth> phases = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Long> done = new CompletableFuture<>();

  private TracedWorkload(
      Path data, CgroupDir pod, String podUid, String containerId, WorkloadProcess process) {
    this.data = data;
    this.pod = pod;
    this.podUid = podUid;
    this.containerId = containerId;
    this.process = process;
  }

  /** Starts it (waiting at "ready") with phases marked through {@code markerLibrary} and OTLP. */
  static TracedWorkload start(Path markerLibrary, String tracesEndpoint) throws IOException {
    Path data = Files.createTempFile(Path.of("/var/tmp"), "aiprof-backends-", ".bin");
    byte[] chunk = new byte[1 << 20];
    new Random(7).nextBytes(chunk);
    try (OutputStream out = Files.newOutputStream(data)) {
      for (int i = 0; i < 16; i++) {
        out.write(chunk);
      }
    }
    String uid = UUID.randomUUID().toString();
    String container = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    CgroupDir pod = null;
    WorkloadProcess w = null;
    try {
      pod =
          CgroupDir.create(
              "kubepods-"
                  + ProcessHandle.current().pid()
                  + ".slice/kubepods-burstable-pod"
                  + uid.replace('-', '_')
                  + ".slice/cri-containerd-"
                  + container
                  + ".scope");
      // The worker (and its rival) on the last CPU, the rest of its JVM on the first.
      int worker = Runtime.getRuntime().availableProcessors() - 1;
      w =
          WorkloadProcess.start(
              "0",
              PhasedWorkload.class,
              Integer.toString(worker),
              Integer.toString(ROUNDS),
              data.toString(),
              markerLibrary.toString(),
              tracesEndpoint,
              "traced");
      pod.add(w.pid());
      return new TracedWorkload(data, pod, uid, container, w);
    } catch (RuntimeException | Error e) {
      if (w != null) {
        w.close();
      }
      if (pod != null) {
        pod.close();
      }
      Files.deleteIfExists(data);
      throw e;
    }
  }

  /** Starts the phases; what it prints is collected from now on. */
  void go() {
    Thread.ofPlatform().daemon().name("workload-out").start(this::read);
    process.send("go");
  }

  private void read() {
    for (String l = process.readLine(); l != null; l = process.readLine()) {
      if (l.startsWith("span ")) {
        spans.add(WorkloadSpan.parse(l));
      } else if (l.startsWith("phase ")) {
        phases.add(GroundTruth.parse(l));
      } else if (l.equals("done")) {
        done.complete(epochNanos());
        return;
      }
    }
    done.completeExceptionally(new IllegalStateException("the workload exited before done"));
  }

  /** Waits until it is done; returns when (epoch ns). Its spans were flushed before. */
  long awaitDone(Duration timeout) throws Exception {
    return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** How far it got, and what the test saw of it, for failure messages. */
  String progress(List<ExportedSpan> seen) {
    long own = seen.stream().filter(s -> s.get("aiprof.phase.origin") == null).count();
    return "workload pid "
        + pid()
        + (done.isDone() ? " done" : " not done")
        + ", printed "
        + phases.size()
        + " phases and "
        + spans.size()
        + " spans; the backend has "
        + own
        + " of its spans and "
        + (seen.size() - own)
        + " of the agent's, of "
        + SPANS
        + " each: "
        + seen.stream()
            .map(s -> s.name() + (s.get("aiprof.phase.origin") == null ? "" : "*"))
            .sorted()
            .toList();
  }

  boolean isDone() {
    return done.isDone();
  }

  List<WorkloadSpan> spans() {
    return List.copyOf(spans);
  }

  /** Its own kernel accounting of each phase (rounds included, warm-up not). */
  List<GroundTruth> phases() {
    return List.copyOf(phases);
  }

  long pid() {
    return process.pid();
  }

  String podUid() {
    return podUid;
  }

  String containerId() {
    return containerId;
  }

  /** The cgroup path as the agent labels series ({@code aiprof.cgroup.path}). */
  String cgroupPath() {
    return "/" + CgroupDir.v2Root().relativize(pod.path());
  }

  @Override
  public void close() throws IOException {
    try {
      process.close();
    } finally {
      try {
        pod.close();
      } finally {
        Files.deleteIfExists(data);
      }
    }
  }

  static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
