package dev.aiprof.agent.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.FakeNvml;
import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aiprof run} over the fake NVML library (8 × H100) with scripted faults: GPU 5 lost
 * mid-run, every call on GPU 3 failing with NVML_ERROR_TIMEOUT, then every call on GPU 6 taking 1.5
 * s (a stuck driver). The agent records each (GPU 5 failed; GPU 3 degraded, its reading errors
 * counted; GPU 6 degraded, its skipped rounds counted), goes on sampling the other GPUs at their
 * interval, its scheduler collector and /metrics go on, and SIGTERM still stops it within its
 * deadline. Prints what it measured.
 */
@Requires(
    root = true,
    tools = {"make", "gcc"},
    files = "/sys/kernel/btf/vmlinux")
class NvmlFaultsIT {
  private static final Path LAUNCHER = Path.of("..", "aiprof").toAbsolutePath().normalize();
  private static final Pattern SAMPLES = series("aiprof_gpu_samples_total");
  private static final Pattern SKIPPED = series("aiprof_gpu_samples_skipped_total");

  @TempDir Path tmp;

  @Test
  void eachFaultIsRecordedAndTheRestGoesOn() throws Exception {
    Path script = Files.writeString(tmp.resolve("script"), "util 0 30\nlost 5 3\nfail 3 2 10\n");
    int port = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                LAUNCHER.toString(),
                "run",
                "--collectors",
                "nvml,sched",
                "--nvml-library",
                FakeNvml.current().resolve("libnvidia-ml.so.1").toString(),
                "--set",
                "nvml.interval=200ms",
                "--output-dir",
                tmp.resolve("otlp").toString(),
                "--prometheus-address",
                "127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("run.log").toFile());
    pb.environment().put(FakeNvml.SCRIPT_ENV, script.toString());
    pb.environment().put(FakeNvml.SYSTEM_ENV, "dgxh100");
    Process p = pb.start();
    try {
      String m = until(port, t -> t.contains("hw_name=\"gpu5\",hw_state=\"failed\""));
      assertThat(m).contains("hw_name=\"gpu0\",hw_state=\"ok\"");
      assertThat(m).containsPattern("aiprof_gpu_reading_errors_total\\{[^}]*gpu3[^}]*} [1-9]");
      until(port, t -> t.contains("hw_name=\"gpu3\",hw_state=\"degraded\""));
      Map<String, Double> before = samples(m);
      String later = until(port, t -> samples(t).get("gpu0") >= before.get("gpu0") + 5);
      Map<String, Double> after = samples(later);
      System.out.println("samples, healthy vs faulty: " + before + " -> " + after);
      assertThat(after.get("gpu5"))
          .as("the lost GPU is no longer sampled")
          .isEqualTo(before.get("gpu5"));
      assertThat(later).contains("aiprof_sched_cpu_time_seconds_total");
      assertThat(Files.readString(tmp.resolve("run.log"))).contains("nvml: gpu5 is lost");

      Files.writeString(script, "util 0 30\nlost 5 3\nfail 3 2 10\nslow 6 0 1500\n");
      String slow =
          until(
              port,
              t ->
                  t.contains("hw_name=\"gpu6\",hw_state=\"degraded\"")
                      && values(SKIPPED, t).getOrDefault("gpu6", 0.0) >= 1);
      Map<String, Double> s0 = samples(slow);
      long w0 = System.nanoTime();
      // one thread calling every GPU in turn made a round per ~20 s here: one sample in 60 s
      String window = until(port, t -> samples(t).get("gpu0") >= s0.get("gpu0") + 10);
      long windowMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - w0);
      Map<String, Double> s1 = samples(window);
      System.out.println(
          "with GPU 6 stuck: 10 samples of gpu0 in "
              + windowMs
              + " ms at 200 ms; gpu6 samples "
              + s0.get("gpu6")
              + " -> "
              + s1.get("gpu6")
              + ", skipped "
              + values(SKIPPED, slow).get("gpu6")
              + " -> "
              + values(SKIPPED, window).get("gpu6"));
      assertThat(s1.get("gpu6"))
          .as("gpu6's sample still running")
          .isLessThanOrEqualTo(s0.get("gpu6") + 1);
      assertThat(values(SKIPPED, window).get("gpu6"))
          .as("gpu6's rounds skipped, counted")
          .isGreaterThan(values(SKIPPED, slow).get("gpu6"));
      assertThat(window)
          .contains("hw_name=\"gpu6\",hw_state=\"degraded\"")
          .contains("hw_name=\"gpu0\",hw_state=\"ok\"");
      long t0 = System.nanoTime();
      String stuck = scrape(port);
      long scrapeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      System.out.println(
          "with GPU 6 stuck: /metrics in " + scrapeMs + " ms, samples " + samples(stuck));
      assertThat(stuck).contains("aiprof_sched_cpu_time_seconds_total");
      assertThat(scrapeMs).as("/metrics answers while an NVML call is stuck").isLessThan(5000);
    } finally {
      long t0 = System.nanoTime();
      p.destroy();
      assertThat(p.waitFor(40, TimeUnit.SECONDS)).as("stops within the 30 s deadline").isTrue();
      System.out.println(
          "SIGTERM to exit with an NVML call stuck: "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
              + " ms, status "
              + p.exitValue());
      assertThat(p.exitValue()).isZero();
    }
  }

  private static Pattern series(String name) {
    return Pattern.compile("^" + name + "\\{[^}]*hw_name=\"(gpu\\d)\"[^}]*} (\\S+)$");
  }

  private static Map<String, Double> samples(String metrics) {
    return values(SAMPLES, metrics);
  }

  private static Map<String, Double> values(Pattern series, String metrics) {
    Map<String, Double> out = new TreeMap<>();
    for (String l : metrics.split("\n")) {
      Matcher m = series.matcher(l);
      if (m.matches()) {
        out.put(m.group(1), Double.parseDouble(m.group(2)));
      }
    }
    return out;
  }

  private static String until(int port, Predicate<String> ok) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < end) {
      try {
        last = scrape(port);
        if (!samples(last).isEmpty() && ok.test(last)) {
          return last;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out; last /metrics:\n" + last);
  }

  private static String scrape(int port) throws IOException, InterruptedException {
    try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      return c.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
