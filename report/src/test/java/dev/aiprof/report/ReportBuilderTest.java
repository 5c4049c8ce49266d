package dev.aiprof.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiprof.report.model.ReadStats;
import dev.aiprof.report.model.WindowModel;
import dev.aiprof.report.otlp.OtlpFiles;
import dev.aiprof.report.otlp.SpanRecord;
import dev.aiprof.report.otlp.TraceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of the recorded fixture: deterministic, and true to what the run recorded. */
class ReportBuilderTest {
  @TempDir Path tmp;

  static ReportBuilder.Options options(Path in, Path out) {
    return new ReportBuilder.Options(in, Optional.empty(), Optional.empty(), out, "kernel ok\n");
  }

  @Test
  void theSameFilesGiveByteIdenticalOutput() throws IOException {
    ReportBuilder.Result a = ReportBuilder.build(options(Fixture.dir(), tmp.resolve("a")));
    ReportBuilder.Result b = ReportBuilder.build(options(Fixture.dir(), tmp.resolve("b")));
    assertThat(Files.readAllBytes(a.html())).isEqualTo(Files.readAllBytes(b.html()));
    assertThat(Files.readAllBytes(a.perfetto())).isEqualTo(Files.readAllBytes(b.perfetto()));
    assertThat(a.traces()).isEqualTo(Fixture.REQUESTS);
    assertThat(a.spans()).isEqualTo(Fixture.SPANS);
    assertThat(a.html().getFileName()).hasToString(ReportBuilder.HTML);
  }

  static WindowModel fixtureModel() throws IOException {
    TraceReader r = new TraceReader(Optional.empty(), Long.MIN_VALUE, 100_000);
    for (Path f : OtlpFiles.of(Fixture.dir(), "traces")) {
      r.read(f);
    }
    List<SpanRecord> spans = r.spans();
    return WindowModel.of(spans, new ReadStats(1, spans.size(), 0, 0, 0, 100_000));
  }

  @Test
  void theModelHoldsWhatTheAgentRecorded() throws IOException {
    WindowModel m = fixtureModel();
    assertThat(m.read().badLines()).isZero();
    assertThat(m.lanes())
        .extracting(l -> l.name().replaceAll(" \\(\\d+\\)$", ""))
        .containsExactlyInAnyOrder("client-1", "client-2", "server-worker-1", "server-worker-2");
    assertThat(m.processes()).singleElement().satisfies(p -> assertThat(p.pid()).isPositive());
    assertThat(m.served()).hasSize(Fixture.REQUESTS);
    assertThat(m.served())
        .allSatisfy(
            r -> {
              assertThat(r.decodeSteps()).isEqualTo(6);
              assertThat(r.ttftMs()).isPresent();
              assertThat(r.tpotMs()).isPresent();
              assertThat(r.model()).isEqualTo("tiny-llama-synthetic");
              assertThat(r.rows()).hasSize(14);
            });
    // Every span was described by the agent (the attribute names are the agent's).
    assertThat(m.phases()).allSatisfy(b -> assertThat(b.breakdown().measured()).isTrue());
    assertThat(m.phases())
        .filteredOn(b -> b.span().attributes().containsKey("aiprof.phase.origin"))
        .hasSize(70);
    assertThat(m.total().onCpu()).isPositive();
    assertThat(m.stalls()).isNotEmpty();
    // The rival thread competes only in prefill: its runqueue share beats every other phase's.
    assertThat(share(m, "prefill", 1)).isGreaterThan(share(m, "tokenize", 1));
    // retrieve fsyncs: I/O wait there, and more of it than in decode steps.
    assertThat(share(m, "retrieve", 2)).isGreaterThan(share(m, "decode 2", 2));
  }

  private static double share(WindowModel m, String phase, int column) {
    var b =
        m.phaseStats().stream()
            .filter(p -> p.name().equals(phase))
            .findFirst()
            .orElseThrow()
            .breakdown();
    return b.values()[column] / b.threadMs();
  }

  @Test
  void thePerfettoTraceHasOneCompleteEventPerSpanOnItsThread() throws IOException {
    ReportBuilder.Result r = ReportBuilder.build(options(Fixture.dir(), tmp));
    JsonNode t = new ObjectMapper().readTree(r.perfetto().toFile());
    List<JsonNode> phases = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    int waits = 0;
    int flows = 0;
    for (JsonNode e : t.get("traceEvents")) {
      if (e.path("cat").asText().equals("flow")) {
        flows++;
      }
      if (e.path("cat").asText().equals("phase")) {
        phases.add(e);
        assertThat(e.get("ph").asText()).isEqualTo("X");
        assertThat(e.get("dur").asDouble()).isNotNegative();
      } else if (e.path("cat").asText().equals("wait")) {
        waits++;
      } else if (e.get("name").asText().equals("thread_name")) {
        threads.add(e.get("args").get("name").asText());
      }
    }
    assertThat(phases).hasSize(Fixture.SPANS);
    assertThat(phases).allSatisfy(e -> assertThat(e.get("tid").asLong()).isBetween(1L, 1L << 22));
    assertThat(waits).isPositive();
    // client span → server span, on another thread: one start and one finish per request
    assertThat(flows).isEqualTo(2 * Fixture.REQUESTS);
    assertThat(threads)
        .anyMatch(n -> n.startsWith("server-worker-1"))
        .anyMatch(n -> n.endsWith("· waits"));
    assertThat(t.get("displayTimeUnit").asText()).isEqualTo("ms");
  }

  @Test
  void theHtmlIsSelfContained() throws IOException {
    String html = Files.readString(ReportBuilder.build(options(Fixture.dir(), tmp)).html());
    assertThat(html)
        .contains("Content-Security-Policy")
        .contains("default-src 'none'")
        .doesNotContainPattern("(?i)<(script|link|img|iframe)[^>]+(src|href)=")
        .doesNotContainPattern(
            "(?i)url\\(|@import|fetch\\(|XMLHttpRequest|https?://(?!www\\.w3\\.org/2000/svg)");
  }

  @Test
  void sinceKeepsTheLastStretchBeforeTheNewestSpan() throws IOException {
    ReportBuilder.Result all = ReportBuilder.build(options(Fixture.dir(), tmp.resolve("all")));
    ReportBuilder.Result last =
        ReportBuilder.build(
            new ReportBuilder.Options(
                Fixture.dir(),
                Optional.empty(),
                Optional.of(Duration.ofMillis(300)),
                tmp.resolve("l"),
                ""));
    assertThat(last.spans()).isPositive().isLessThan(all.spans());
  }

  @Test
  void nothingToReportSaysWhyAndWhatToDo() throws IOException {
    assertThatThrownBy(() -> ReportBuilder.build(options(tmp.resolve("none"), tmp)))
        .isInstanceOf(ReportBuilder.NothingToReport.class)
        .hasMessageContaining("no directory")
        .hasMessageContaining("--output-dir");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> ReportBuilder.build(options(empty, tmp)))
        .hasMessageContaining("no traces-*.jsonl files in " + empty);
    assertThatThrownBy(
            () ->
                ReportBuilder.build(
                    new ReportBuilder.Options(
                        Fixture.dir(), Optional.of("nope"), Optional.empty(), tmp, "")))
        .hasMessageContaining("no spans match --service nope")
        .hasMessageContaining("check the service name");
  }
}
