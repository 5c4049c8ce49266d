package dev.aiprof.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.report.model.Request;
import dev.aiprof.report.model.WindowModel;
import dev.aiprof.testing.Requires;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of the recorded fixture in headless Chromium: it loads with no console message at all
 * (no error, no uncaught exception, no blocked fetch), its DOM holds the lanes, phases and requests
 * of the model, and its screenshot shows the timeline's colours. The screenshot is kept at {@code
 * target/report-it/aiprof-report.png}.
 */
@Requires(tools = "chromium")
class ReportPageIT {
  static final Path ARTIFACTS = Path.of("target", "report-it");
  @TempDir Path tmp;

  @Test
  void theFixturesReportRendersWithoutErrorsAndHoldsTheModel() throws Exception {
    Files.createDirectories(ARTIFACTS);
    ReportBuilder.Result r =
        ReportBuilder.build(
            new ReportBuilder.Options(
                Fixture.dir(),
                Optional.empty(),
                Optional.empty(),
                ARTIFACTS,
                "kernel  ok  test\n"));
    Chromium chromium = new Chromium(tmp.resolve("profile"));
    Chromium.Output dom = chromium.dumpDom(r.html());
    assertThat(dom.console()).as(dom.stderr()).isEmpty();
    String html = dom.stdout();
    assertThat(html).contains("data-ready=\"1\"").doesNotContain("data-errors=\"1\"");

    WindowModel m = ReportBuilderTest.fixtureModel();
    List<String> lanes = all(html, "class=\"lane-label\" data-lane=\"\\d+\" data-tid=\"(\\d+)\"");
    assertThat(lanes)
        .containsExactlyInAnyOrderElementsOf(
            m.lanes().stream().map(l -> String.valueOf(l.tid())).toList());
    assertThat(all(html, "<tr class=\"phase-row\" data-phase=\"([^\"]+)\""))
        .contains("prefill", "prefill [marker]", "decode 1", "decode 6", "retrieve", "tokenize")
        .hasSize(m.phaseStats().size());
    assertThat(all(html, "class=\"request-row[^\"]*\" data-trace=\"([0-9a-f]+)\""))
        .containsExactlyInAnyOrderElementsOf(m.served().stream().map(q -> q.traceId()).toList());
    assertThat(all(html, "class=\"wf-row\" data-phase=\"([^\"]+)\""))
        .hasSize(14)
        .contains("prefill", "decode 3");
    assertThat(html).contains("Time to first token").contains("kernel  ok  test");

    // Opened zoomed through its link form: the range shown follows, and bars are still drawn.
    Request first = m.served().getFirst();
    double s = (m.phases().get(first.root()).span().startNs() - m.startNs()) / 1e6;
    double e = (m.phases().get(first.root()).span().endNs() - m.startNs()) / 1e6;
    Chromium.Output zoomed = chromium.dumpDom(r.html(), "#view=" + s + "," + e);
    assertThat(zoomed.console()).as(zoomed.stderr()).isEmpty();
    assertThat(zoomed.stdout())
        .containsPattern("id=\"tl-range\">[^<]*\\(" + Pattern.quote(fmtMs(e - s)) + " shown\\)");
    Path zpng = ARTIFACTS.resolve("aiprof-report-zoomed.png");
    chromium.screenshot(r.html(), "#view=" + s + "," + e, zpng, 1400, 900);
    assertThat(count(ImageIO.read(zpng.toFile()), 0x2563eb)).isGreaterThan(100);

    Path png = ARTIFACTS.resolve("aiprof-report.png");
    Files.deleteIfExists(png);
    Chromium.Output shot = chromium.screenshot(r.html(), png, 1400, 2400);
    assertThat(shot.console()).as(shot.stderr()).isEmpty();
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(1400);
    assertThat(count(img, 0x2563eb)).as("on-CPU blue pixels").isGreaterThan(500);
    assertThat(count(img, 0xf59e0b)).as("runqueue amber pixels").isGreaterThan(500);
    System.out.println("report screenshot: " + png.toAbsolutePath());
  }

  /** The page's own millisecond format, for durations from 10 ms to 1 s. */
  private static String fmtMs(double ms) {
    return String.format(java.util.Locale.ROOT, "%.1f ms", ms);
  }

  private static List<String> all(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static int count(BufferedImage img, int rgb) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  /** A window with GPU time and spans without thread or pid: the page's other paths. */
  @Test
  void gpuLanesAndThreadlessSpansRenderWithoutErrors() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("otlp"));
    Files.writeString(
        in.resolve("traces-20261204T120000Z-1.jsonl"),
        """
        {"resourceSpans":[{"resource":{"attributes":[\
        {"key":"service.name","value":{"stringValue":"trainer"}},\
        {"key":"process.pid","value":{"intValue":"77"}}]},"scopeSpans":[{"spans":[\
        {"traceId":"01","spanId":"01","name":"step","kind":1,\
        "startTimeUnixNano":"1000000000","endTimeUnixNano":"1050000000","attributes":[\
        {"key":"thread.id","value":{"intValue":"78"}},\
        {"key":"aiprof.sched.on_cpu_ms","value":{"doubleValue":20.0}},\
        {"key":"aiprof.sched.sleep_ms","value":{"doubleValue":30.0}},\
        {"key":"aiprof.gpu.busy_ms","value":{"doubleValue":45.0}}]}]}]},\
        {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"loose"}}]},\
        "scopeSpans":[{"spans":[{"traceId":"02","spanId":"02","name":"orphan","kind":2,\
        "startTimeUnixNano":"1010000000","endTimeUnixNano":"1020000000"}]}]}]}
        """);
    StringBuilder metrics = new StringBuilder();
    for (int i = 0; i <= 10; i++) {
      metrics.append(
          """
          {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"hw.gpu.utilization",\
          "gauge":{"dataPoints":[{"timeUnixNano":"%d","asDouble":%s,"attributes":[\
          {"key":"hw.id","value":{"stringValue":"0"}}]}]}}]}]}]}
          """
              .formatted(1_000_000_000L + i * 5_000_000L, i % 3 / 2.0));
    }
    Files.writeString(in.resolve("metrics-20261204T120000Z-1.jsonl"), metrics);
    ReportBuilder.Result r =
        ReportBuilder.build(
            new ReportBuilder.Options(
                in, Optional.empty(), Optional.empty(), tmp.resolve("out"), ""));
    Chromium chromium = new Chromium(tmp.resolve("profile"));
    Chromium.Output dom = chromium.dumpDom(r.html());
    assertThat(dom.console()).as(dom.stderr()).isEmpty();
    assertThat(dom.stdout())
        .contains("data-ready=\"1\"")
        .contains("gpu-label")
        .contains("spans without thread.id")
        .contains("no doctor output included")
        .contains("data-gpu=\"0\"");
    Path png = ARTIFACTS.resolve("aiprof-report-gpu.png");
    Files.createDirectories(ARTIFACTS);
    assertThat(chromium.screenshot(r.html(), png, 1200, 900).console()).isEmpty();
    assertThat(count(ImageIO.read(png.toFile()), 0x16a34a))
        .as("GPU green pixels")
        .isGreaterThan(50);
  }
}
