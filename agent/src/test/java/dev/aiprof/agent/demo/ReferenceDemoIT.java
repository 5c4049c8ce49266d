package dev.aiprof.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.cli.CliRun;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code aiprof demo} end to end, as root against the real kernel: the agent, the reference server
 * and client as child processes, the OTLP files and the report. Three small runs (no injection,
 * {@code --inject cpu}, {@code --inject io}) share one synthetic tiny model; every assertion reads
 * what was exported to the files.
 */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class ReferenceDemoIT {
  private static final int REQUESTS = 8;
  private static final String EMBED = "embeddings all-MiniLM-L6-v2";

  private static Path dir;
  private static Run none;
  private static Run cpu;
  private static Run io;

  /** One demo run: its output and the spans it exported. */
  record Run(CliRun cli, Path out, List<RecordedSpan> spans, Set<Long> pids) {
    PhaseTable table() {
      return PhaseTable.of(spans, pids);
    }
  }

  @BeforeAll
  static void runDemos() throws Exception {
    dir = Files.createTempDirectory(Path.of("/var/tmp"), "aiprof-demo-it-");
    none = demo("none");
    cpu = demo("cpu");
    io = demo("io");
  }

  @AfterAll
  static void clean() throws Exception {
    if (dir != null) {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Run demo(String inject) throws Exception {
    Path out = dir.resolve(inject);
    CliRun r =
        CliRun.of(
            "demo",
            "--requests",
            Integer.toString(REQUESTS),
            "--max-tokens",
            "5",
            "--model-size",
            "tiny",
            "--inject",
            inject,
            "--model-dir",
            dir.resolve("model").toString(),
            "--output-dir",
            out.toString());
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    Matcher m = Pattern.compile("reference server \\(pid (\\d+)\\)").matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    List<RecordedSpan> spans = SpanFiles.read(out.resolve("otlp"));
    Set<Long> pids =
        spans.stream()
            .filter(s -> s.service().startsWith("aiprof-reference"))
            .map(RecordedSpan::pid)
            .collect(Collectors.toSet());
    assertThat(pids).contains(Long.parseLong(m.group(1))).hasSize(2);
    return new Run(r, out, spans, pids);
  }

  @Test
  void everyRequestIsOneTraceFromTheClientThroughEachStep() throws Exception {
    List<RecordedSpan> roots =
        none.spans().stream()
            .filter(s -> s.service().equals("aiprof-reference-client"))
            .filter(s -> s.parentSpanId().isEmpty())
            .toList();
    assertThat(roots).hasSize(REQUESTS);
    Map<String, List<RecordedSpan>> traces =
        none.spans().stream().collect(Collectors.groupingBy(RecordedSpan::traceId));
    for (RecordedSpan root : roots) {
      List<RecordedSpan> t = traces.get(root.traceId());
      Map<String, Long> names =
          t.stream().collect(Collectors.groupingBy(RecordedSpan::name, Collectors.counting()));
      assertThat(names)
          .containsKeys("queue", "tokenize", EMBED, "retrieve", "prefill", "detokenize", "persist")
          .containsEntry("POST /v1/completions", 2L);
      assertThat(names.get("decode")).isBetween(1L, 4L);
      RecordedSpan server = one(t, "POST /v1/completions", "aiprof-reference-server");
      assertThat(server.parentSpanId()).isEqualTo(root.spanId());
      for (RecordedSpan s : t) {
        assertThat(s.number("aiprof.sched.threads")).as(s.name()).isGreaterThan(0);
        double thread =
            s.number("aiprof.sched.on_cpu_ms")
                + s.number("aiprof.sched.runqueue_ms")
                + s.number("aiprof.sched.blocked_ms")
                + s.number("aiprof.sched.sleep_ms")
                + s.number("aiprof.sched.other_ms");
        assertThat(thread).as(s.name()).isGreaterThan(0);
      }
      RecordedSpan embed = one(t, EMBED, "aiprof-reference-server");
      assertThat(embed.string("gen_ai.operation.name")).isEqualTo("embeddings");
      assertThat(embed.string("gen_ai.request.model")).isEqualTo("all-MiniLM-L6-v2");
      RecordedSpan gen =
          t.stream().filter(s -> s.name().startsWith("text_completion ")).findFirst().orElseThrow();
      assertThat(gen.string("gen_ai.operation.name")).isEqualTo("text_completion");
      assertThat(gen.string("gen_ai.provider.name")).isEqualTo("aiprof");
      assertThat(gen.name()).isEqualTo("text_completion " + gen.string("gen_ai.request.model"));
      assertThat(gen.number("gen_ai.usage.input_tokens")).isGreaterThan(0);
      assertThat(gen.number("gen_ai.usage.output_tokens")).isEqualTo(names.get("decode") + 1);
    }
    assertThat(none.cli().out())
        .contains("time to first token: p50 ")
        .containsPattern("agent: [0-9.]+% of one CPU over the [0-9.]+ s of requests")
        .contains("OTLP output: " + none.out().resolve("otlp"))
        .contains("verdict: ");
    Matcher report = Pattern.compile("Report: (\\S+)").matcher(none.cli().out());
    assertThat(report.find()).as(none.cli().out()).isTrue();
    assertThat(Path.of(report.group(1))).isRegularFile();
    assertThat(none.cli().out()).containsPattern("spans, \\d+ flame graphs\\)");
    String page = Files.readString(Path.of(report.group(1)));
    assertThat(page)
        .as("the profile collector's files, beside otlp/, drawn on the page")
        .contains("\"kind\":\"on-cpu\"")
        .contains("\"source\":\"" + none.out().resolve("profiles"));
  }

  @Test
  void theServerExportsTheGenAiHistogramsWithTheConventionsBuckets() throws Exception {
    String metrics;
    try (var files = Files.list(none.out().resolve("otlp"))) {
      metrics =
          files
              .filter(p -> p.getFileName().toString().startsWith("metrics-"))
              .map(ReferenceDemoIT::read)
              .collect(Collectors.joining("\n"));
    }
    assertThat(metrics)
        .contains("\"gen_ai.server.request.duration\"")
        .contains("\"gen_ai.server.time_to_first_token\"")
        .contains("\"gen_ai.server.time_per_output_token\"")
        .contains(
            "\"explicitBounds\":[0.01,0.025,0.05,0.075,0.1,0.15,0.2,0.3,0.4,0.5,0.75,1.0,2.5]");
  }

  @Test
  void injectCpuMovesRunqueueTimeIntoTheEmbedStep() {
    double base = median(none, EMBED, "aiprof.sched.runqueue_ms");
    double hot = median(cpu, EMBED, "aiprof.sched.runqueue_ms");
    assertThat(hot)
        .as("median runqueue ms of embed: %s without, %s with --inject cpu", base, hot)
        .isGreaterThan(2 * base + 0.3);
  }

  @Test
  void injectIoMovesBlockedTimeIntoThePersistStep() {
    double base = median(none, "persist", "aiprof.sched.blocked_ms");
    double hot = median(io, "persist", "aiprof.sched.blocked_ms");
    assertThat(hot)
        .as("median I/O wait ms of persist: %s without, %s with --inject io", base, hot)
        .isGreaterThan(2 * base + 0.3);
  }

  /** The median of one attribute over a run's spans of one name (the service's own). */
  private static double median(Run r, String name, String key) {
    List<Double> v =
        r.spans().stream()
            .filter(s -> s.name().equals(name) && s.string("aiprof.phase.origin") == null)
            .map(s -> s.number(key))
            .sorted()
            .toList();
    assertThat(v).as(name).hasSize(REQUESTS);
    return v.get(v.size() / 2);
  }

  private static RecordedSpan one(List<RecordedSpan> t, String name, String service) {
    return t.stream()
        .filter(s -> s.name().equals(name) && s.service().equals(service))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " of " + service));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
