package dev.aiprof.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiprof.agent.AgentJvm;
import dev.aiprof.bpf.ProgramInfo;
import dev.aiprof.exporters.file.RotatingFile;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aiprof run} as its own process: SIGTERM, and a backend that is down. */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class RunLifecycleIT {
  @TempDir Path dir;

  /** The agent as a child JVM on this test's class path. */
  private static Process start(List<String> args, String... env) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("run"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(AgentJvm.command("128m", cmd));
    for (int i = 0; i < env.length; i += 2) {
      pb.environment().put(env[i], env[i + 1]);
    }
    return pb.start();
  }

  /** Collects a stream's lines on a thread of its own. */
  private static List<String> lines(java.io.InputStream in) {
    List<String> out = new CopyOnWriteArrayList<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  out.add(l);
                }
              } catch (IOException e) {
                // the process ended
              }
            });
    return out;
  }

  /** Kernel ids of the BPF programs a process holds open (its fdinfo's prog_id lines). */
  static Set<Integer> programsOf(long pid) {
    Set<Integer> ids = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
      for (Path f : fds.toList()) {
        try {
          for (String l : Files.readAllLines(f)) {
            if (l.startsWith("prog_id:")) {
              ids.add(Integer.parseInt(l.substring(8).strip()));
            }
          }
        } catch (IOException e) {
          // fd closed meanwhile
        }
      }
    } catch (IOException e) {
      // process gone
    }
    return ids;
  }

  private static void await(String what, java.util.function.BooleanSupplier cond, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void sigtermFlushesDetachesEveryProgramAndExitsZero() throws Exception {
    Process p =
        start(
            List.of("--no-prometheus", "--output-dir", dir.toString()),
            "OTEL_METRIC_EXPORT_INTERVAL",
            "600000");
    List<String> err = lines(p.getErrorStream());
    try {
      await("the agent to run", () -> err.stream().anyMatch(l -> l.contains("running until")), 60);
      Set<Integer> ours = programsOf(p.pid());
      assertThat(ours).as("the sched probe is attached").isNotEmpty();
      assertThat(RotatingFile.outputFiles(dir, "metrics"))
          .as("no export yet: 10 min interval")
          .isEmpty();
      // SIGTERM through the handle: Process.destroy() would also close our end of its pipes
      assertThat(p.toHandle().destroy()).isTrue();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join("\n", err)).isZero();
      await(
          "the stop line",
          () ->
              err.stream().anyMatch(l -> l.contains("stopping (SIGTERM): flushing and detaching")),
          10);
      List<Path> files = RotatingFile.outputFiles(dir, "metrics");
      assertThat(files).as("the last collection was written at shutdown").hasSize(1);
      List<String> written = Files.readAllLines(files.getFirst());
      assertThat(written).hasSize(1);
      assertThat(new ObjectMapper().readTree(written.getFirst()).toString())
          .contains("aiprof.sched.cpu.time");
      await(
          "the kernel to free the agent's programs",
          () -> ProgramInfo.programIds().stream().noneMatch(ours::contains),
          30);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aBackendThatIsDownNeitherStopsCollectionNorGrowsTheQueue() throws Exception {
    int closed = RunOutputIT.freePort();
    int prom = RunOutputIT.freePort();
    Process p =
        start(
            List.of(
                "--otlp-endpoint",
                "http://127.0.0.1:" + closed,
                "--prometheus-address",
                "127.0.0.1:" + prom,
                "--duration",
                "120s",
                "--output-dir",
                dir.toString()),
            "OTEL_METRIC_EXPORT_INTERVAL",
            "500",
            "OTEL_EXPORTER_OTLP_TIMEOUT",
            "300",
            "AIPROF_EXPORTER_SPAN_QUEUE_SIZE",
            "64");
    List<String> err = lines(p.getErrorStream());
    CompletableFuture<Integer> exit = p.onExit().thenApply(Process::exitValue);
    try {
      String failure =
          "aiprof_export_batches_total{aiprof_outcome=\"failure\"," + "aiprof_signal=\"metrics\"";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      double failures = 0;
      String text = "";
      String cpu = "aiprof_sched_cpu_time_seconds_total";
      // Both the counted failure and the scheduler's first collection: on a loaded machine the
      // first failed export can come before the first collection that has a cpu series.
      while ((failures < 1 || !text.contains(cpu)) && System.nanoTime() < deadline) {
        text = RunOutputIT.scrape(prom);
        if (text != null && text.contains(failure)) {
          failures = RunOutputIT.value(text, failure);
        }
        text = text == null ? "" : text;
        Thread.sleep(200);
      }
      assertThat(failures)
          .as("metric exports fail and are counted; " + err)
          .isGreaterThanOrEqualTo(1);
      double cpu1 = RunOutputIT.value(text, cpu);
      assertThat(RunOutputIT.value(text, "aiprof_collector_success{aiprof_collector=\"sched\""))
          .isEqualTo(1.0);
      assertThat(RunOutputIT.value(text, "aiprof_export_queue_capacity")).isEqualTo(64.0);
      assertThat(RunOutputIT.value(text, "aiprof_export_queue_size")).isLessThanOrEqualTo(64.0);
      double cpu2 = cpu1;
      for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          cpu2 <= cpu1 && System.nanoTime() < until; ) {
        Thread.sleep(200);
        String later = RunOutputIT.scrape(prom);
        assertThat(later).as("still serving while the backend is down").isNotNull();
        cpu2 = RunOutputIT.value(later, cpu);
      }
      assertThat(cpu2).as("collection goes on").isGreaterThan(cpu1);
      assertThat(p.toHandle().destroy()).isTrue(); // SIGTERM: stop once seen, not at --duration
      assertThat(exit.get(60, TimeUnit.SECONDS)).as(String.join("\n", err)).isZero();
      assertThat(err).noneMatch(l -> l.contains("\tat ")); // one line per failure, no traces
    } finally {
      p.destroyForcibly();
    }
  }
}
