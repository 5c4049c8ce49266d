package dev.aiprof.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.follow.Followed;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.pipeline.FollowService;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.PhasedWorkload;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.WorkloadProcess;
import dev.aiprof.testing.backends.Await;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Following, as the agent does it, against real processes: a reused pid is a new process (the old
 * process's records are not claimed for it), and spans naming processes that do not exist fill
 * nothing, so a real workload that comes after is still followed and described truthfully.
 */
@Requires(
    root = true,
    tools = {"taskset", "sleep"},
    files = {"/sys/kernel/btf/vmlinux", "/proc/sys/kernel/ns_last_pid"})
@NoBpfLeaks
class FollowIT {
  static final AttributeKey<Double> COVERAGE = AttributeKey.doubleKey("aiprof.sched.coverage");
  static final AttributeKey<Double> SLEEP = AttributeKey.doubleKey("aiprof.sched.sleep_ms");
  static final AttributeKey<Double> ON_CPU = AttributeKey.doubleKey("aiprof.sched.on_cpu_ms");

  private final List<CorrelatedPhase> out = Collections.synchronizedList(new ArrayList<>());

  @Test
  void aReusedPidIsANewProcessNotTheOneThatWasFollowed() throws Exception {
    try (GroundTruthIT.Session s = GroundTruthIT.Session.start(Map.of(), out::add)) {
      Process a = new ProcessBuilder("sleep", "60").start();
      int pid = (int) a.pid();
      report(s, "a", pid, System.nanoTime() - 1_000_000, System.nanoTime());
      Followed first = await(s, pid, Optional.empty());
      a.destroy();
      a.waitFor();
      // The follow service notices the exit (its next check of the pid, or its sweep); only then
      // does the pid come round again, as on a real host (pids are handed out in order).
      Await.until(
          "the exit of pid " + pid + " noticed",
          Duration.ofSeconds(5),
          Duration.ofMillis(20),
          () -> s.phases().follows().followed(pid).isEmpty() ? true : null);
      Process b = withPid(pid, "sleep", "60");
      try {
        long t0 = System.nanoTime();
        report(s, "b-before-it-was-followed", pid, t0 - 200_000_000, t0);
        Followed second = await(s, pid, Optional.of(first));
        assertThat(second.process().startTicks()).isNotEqualTo(first.process().startTicks());
        long t1 = System.nanoTime();
        Thread.sleep(500); // the window measured: b sleeps through it, followed
        long t2 = System.nanoTime();
        report(s, "b-window", pid, t1, t2);
        CorrelatedPhase before = described("b-before-it-was-followed");
        assertThat(before.attributes().get(COVERAGE))
            .as("nothing known of b before it was followed: not the old process's timeline")
            .isLessThan(0.05);
        CorrelatedPhase window = described("b-window");
        double wallMs = (t2 - t1) / 1e6;
        assertThat(window.attributes().get(COVERAGE)).isGreaterThan(0.95);
        assertThat(window.attributes().get(SLEEP))
            .as("b slept through the window: %s", window.attributes())
            .isGreaterThan(0.9 * wallMs);
        assertThat(window.attributes().get(ON_CPU)).isLessThan(0.05 * wallMs);
        assertThat(counter(s, FollowService.EXITS, Attributes.empty())).isGreaterThanOrEqualTo(1);
      } finally {
        b.destroy();
        b.waitFor();
      }
    }
  }

  /**
   * A process followed at once after it started, and asleep through a window: the window is its
   * sleep, as the kernel's own accounting says, not on-CPU time with full coverage. Its start's
   * episodes, from before the follow, reach the timeline after the follow (here every episode is an
   * event) and must not end the sleep the follow found it in.
   */
  @Test
  void aProcessFollowedWhileItStartsAndThenSleepsIsAsleep() throws Exception {
    // Every episode is an event: those of its start, from before the follow, reach the timeline.
    Map<String, String> settings = Map.of("sched.min-event", "0");
    try (GroundTruthIT.Session s = GroundTruthIT.Session.start(settings, out::add)) {
      Process p = new ProcessBuilder("sleep", "5").start();
      int pid = (int) p.pid();
      try {
        report(s, "starting", pid, System.nanoTime() - 1_000_000, System.nanoTime()); // no wait
        await(s, pid, Optional.empty());
        long t1 = System.nanoTime();
        long[] before = schedstat(pid);
        Thread.sleep(500); // the window measured: p sleeps through it
        long[] after = schedstat(pid);
        long t2 = System.nanoTime();
        report(s, "window", pid, t1, t2);
        CorrelatedPhase window = described("window");
        double wallMs = (t2 - t1) / 1e6;
        double kernelOnCpuMs = (after[0] - before[0]) / 1e6;
        assertThat(kernelOnCpuMs).as("the kernel: asleep through the window").isLessThan(5);
        double known = window.attributes().get(COVERAGE);
        System.out.printf(
            "followed while it starts: kernel on-CPU %.3f ms of %.1f ms, described %s%n",
            kernelOnCpuMs, wallMs, window.attributes());
        assertThat(window.attributes().get(ON_CPU))
            .as(
                "on-CPU as the kernel accounted it (%.3f ms): %s",
                kernelOnCpuMs, window.attributes())
            .isLessThan(kernelOnCpuMs + 0.05 * wallMs);
        assertThat(known).as("%s", window.attributes()).isGreaterThan(0.95);
        assertThat(window.attributes().get(SLEEP))
            .as("its sleep: %s", window.attributes())
            .isGreaterThan(0.9 * known * wallMs - kernelOnCpuMs);
      } finally {
        p.destroy();
        p.waitFor();
      }
    }
  }

  /** The kernel's sum_exec_runtime and run_delay (ns) of {@code pid}'s main thread. */
  private static long[] schedstat(int pid) throws IOException {
    String[] f =
        Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/schedstat")).trim().split(" ");
    return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
  }

  @Test
  void spansNamingProcessesThatDoNotExistFillNothing() throws Exception {
    Path data = Files.createTempFile(Path.of("/var/tmp"), "aiprof-follow-", ".bin");
    try (OutputStream o = Files.newOutputStream(data)) {
      byte[] chunk = new byte[1 << 20];
      new Random(7).nextBytes(chunk);
      for (int i = 0; i < 32; i++) {
        o.write(chunk);
      }
    }
    Map<String, String> settings =
        Map.of(
            "otlp.grpc-address",
            "off",
            "otlp.http-address",
            "127.0.0.1:0",
            "marker.libraries",
            Repo.markerLibrary().toString());
    try (GroundTruthIT.Session s = GroundTruthIT.Session.start(settings, out::add)) {
      int spans = 4200;
      int followedBefore = s.sched().probe().followedCount();
      postSpansOfMissingProcesses(s.otlpPort(), spans);
      Await.until(
          "the spans' phases",
          Duration.ofSeconds(60),
          Duration.ofMillis(100),
          () -> ofOrigin(PhaseOrigin.OTLP).size() >= spans ? true : null);
      assertThat(ofOrigin(PhaseOrigin.OTLP))
          .as("no coverage claimed for processes never followed")
          .allSatisfy(c -> assertThat(c.attributes().get(COVERAGE)).isZero());
      assertThat(counter(s, FollowService.REQUESTS, Attributes.of(FollowService.OUTCOME, "gone")))
          .isGreaterThanOrEqualTo(spans);
      assertThat(s.sched().probe().followedCount()).as("the kernel's followed map").isLessThan(64);

      // A real workload that marks its phases comes after: it is followed, and described.
      try (WorkloadProcess w =
          WorkloadProcess.start(
              "0",
              PhasedWorkload.class,
              "1",
              "1",
              data.toString(),
              Repo.markerLibrary().toString(),
              "-")) {
        w.send("go");
        List<GroundTruth> truth = GroundTruth.readAll(w);
        int pid = (int) w.pid();
        CorrelatedPhase wait =
            Await.until(
                "the workload's wait phase",
                Duration.ofSeconds(30),
                Duration.ofMillis(50),
                () ->
                    ofOrigin(PhaseOrigin.MARKER).stream()
                        .filter(c -> c.phase().pid() == pid && c.phase().name().equals("wait"))
                        .findFirst()
                        .orElse(null));
        GroundTruth t =
            truth.stream().filter(g -> g.name().equals("wait")).findFirst().orElseThrow();
        assertThat(wait.attributes().get(COVERAGE)).isGreaterThan(0.99);
        assertThat((double) wait.value(Category.SLEEP))
            .as("its sleep, as the kernel accounted it")
            .isBetween(0.9 * t.offNs(), 1.1 * t.offNs() + 2_000_000);
      }
    } finally {
      Files.deleteIfExists(data);
    }
  }

  /** Hands the engine a phase of {@code pid}'s only thread, as a source would. */
  private static void report(GroundTruthIT.Session s, String name, int pid, long start, long end) {
    s.phases()
        .engine()
        .onPhase(new Phase(name, PhaseOrigin.OTLP, pid, pid, start, end, 0, null, null));
  }

  /** Waits until {@code pid} is followed as another process than {@code not}. */
  private static Followed await(GroundTruthIT.Session s, int pid, Optional<Followed> not)
      throws InterruptedException {
    return Await.until(
        "pid " + pid + " followed",
        Duration.ofSeconds(10),
        Duration.ofMillis(20),
        () ->
            s.phases()
                .follows()
                .followed(pid)
                .filter(f -> not.map(n -> !n.process().equals(f.process())).orElse(true))
                .orElse(null));
  }

  private CorrelatedPhase described(String name) throws InterruptedException {
    return Await.until(
        "phase " + name,
        Duration.ofSeconds(10),
        Duration.ofMillis(20),
        () -> {
          synchronized (out) {
            return out.stream().filter(c -> c.phase().name().equals(name)).findFirst().orElse(null);
          }
        });
  }

  private List<CorrelatedPhase> ofOrigin(PhaseOrigin o) {
    synchronized (out) {
      return out.stream().filter(c -> c.phase().origin().equals(o)).toList();
    }
  }

  /**
   * Starts {@code command} as process {@code pid}, which has just been freed: the kernel hands out
   * pids in order after {@code ns_last_pid}; another process of the host may take it first, then
   * try again.
   */
  static Process withPid(int pid, String... command) throws IOException, InterruptedException {
    Path last = Path.of("/proc/sys/kernel/ns_last_pid");
    for (int attempt = 0; attempt < 100; attempt++) {
      Files.writeString(last, Integer.toString(pid - 1));
      Process p = new ProcessBuilder(command).start();
      if (p.pid() == pid) {
        return p;
      }
      p.destroy();
      p.waitFor();
    }
    throw new AssertionError("pid " + pid + " was not handed out again in 100 attempts");
  }

  /** OTLP/JSON requests of 100 spans each, each span of its own process, none of which exists. */
  private static void postSpansOfMissingProcesses(int port, int spans) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long now = System.currentTimeMillis() * 1_000_000L;
    Random r = new Random(1);
    for (int from = 0; from < spans; from += 100) {
      StringBuilder b = new StringBuilder("{\"resourceSpans\":[");
      for (int i = from; i < Math.min(spans, from + 100); i++) {
        int pid = 100_000 + i; // above pid_max: no such process, ever
        b.append(i == from ? "" : ",")
            .append("{\"resource\":{\"attributes\":[{\"key\":\"process.pid\",\"value\":")
            .append("{\"intValue\":\"")
            .append(pid)
            .append("\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"")
            .append(hex(r, 16))
            .append("\",\"spanId\":\"")
            .append(hex(r, 8))
            .append("\",\"name\":\"poison\",\"startTimeUnixNano\":\"")
            .append(now - 2_000_000)
            .append("\",\"endTimeUnixNano\":\"")
            .append(now)
            .append("\"}]}]}");
      }
      b.append("]}");
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(b.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }
  }

  private static String hex(Random r, int bytes) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < bytes; i++) {
      b.append(String.format("%02x", r.nextInt(256)));
    }
    return b.toString();
  }

  /** The pipeline's value of a counter series, now. */
  private static double counter(GroundTruthIT.Session s, MetricId id, Attributes attrs) {
    Map<Attributes, Double> seen = new HashMap<>();
    s.phases()
        .metrics()
        .collect(
            new MetricSink() {
              @Override
              public void counter(MetricId m, Attributes a, double v) {
                if (m.equals(id)) {
                  seen.put(a, v);
                }
              }

              @Override
              public void gauge(MetricId m, Attributes a, double v) {}

              @Override
              public void histogram(MetricId m, Attributes a, Log2Histogram h, long sum) {}
            });
    return seen.getOrDefault(attrs, 0.0);
  }
}
