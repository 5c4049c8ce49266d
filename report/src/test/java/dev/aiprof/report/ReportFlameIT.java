package dev.aiprof.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiprof.testing.Requires;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flame graphs of two recorded profile runs of the profiler's fixture ({@code profile_phases}:
 * {@code crunch_alpha} in phase alpha, {@code crunch_beta} in beta, a 40 ms sleep in wait) driven
 * over the DevTools protocol: each phase's graph is its function, hovering a frame gives its
 * numbers, a click zooms, the search box highlights, and "compare with" gives the differential
 * graph, coloured by the change of share. No console message at all. Screenshots are kept in {@code
 * target/report-it/flame-*.png}.
 */
@Requires(tools = "chromium")
class ReportFlameIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  static Path recorded(String run) throws URISyntaxException {
    return Path.of(ReportFlameIT.class.getResource("profiles/" + run).toURI());
  }

  /** A recorded run's one window directory: read whatever its time (not the fixture's spans'). */
  static Path window(String run) throws Exception {
    try (var s = Files.list(recorded(run))) {
      return s.findFirst().orElseThrow();
    }
  }

  @Test
  void phasesGraphsHoverZoomSearchAndDiffs() throws Exception {
    Files.createDirectories(ReportPageIT.ARTIFACTS);
    ReportBuilder.Result r =
        ReportBuilder.build(
            new ReportBuilder.Options(
                Fixture.dir(),
                Optional.empty(),
                Optional.empty(),
                tmp,
                "",
                1000,
                Optional.of(window("run1")),
                Optional.of(recorded("run2"))));
    try (DevTools d = new DevTools(tmp.resolve("profile"))) {
      d.open(r.html());
      d.await("document.body && document.body.dataset.flameReady === '1'", 30);
      select(d, "flame-graph", "on-CPU · phase alpha");
      JsonNode alpha = frame(d, "crunch_alpha");
      double width = d.eval("document.getElementById('flame-box').clientWidth").asDouble();
      assertThat(alpha.get("w").asDouble()).as("crunch_alpha's width").isGreaterThan(0.8 * width);
      assertThat(
              d.eval("window.__aiprofFlame.frames().some(f => f.name === 'crunch_beta')")
                  .asBoolean())
          .as("no crunch_beta in alpha")
          .isFalse();
      screenshot(d, "flame-alpha.png");

      // hover: the numbers
      double[] at = centre(d, "crunch_alpha");
      d.mouse("mouseMoved", at[0], at[1], "none", 0, 0);
      String tip = d.eval("document.getElementById('flame-tip').innerText").asText();
      assertThat(tip).contains("crunch_alpha", "samples", "of the graph", "self");

      // click: zoom, the frame takes the whole width
      d.mouse("mousePressed", at[0], at[1], "left", 1, 0);
      d.mouse("mouseReleased", at[0], at[1], "left", 0, 0);
      assertThat(text(d, "flame-status")).contains("zoomed on crunch_alpha");
      assertThat(frame(d, "crunch_alpha").get("w").asDouble())
          .isCloseTo(width, org.assertj.core.data.Offset.offset(2.0));
      d.eval("document.querySelector('#flames button').click()");

      // search
      d.eval(
          "(() => { const s = document.getElementById('flame-search'); s.value = 'crunch';"
              + " s.dispatchEvent(new Event('input')); })()");
      assertThat(text(d, "flame-status")).containsPattern("matched: (8\\d|9\\d|100)\\.\\d%");
      assertThat(d.eval("document.querySelectorAll('#flame-box g.match').length").asInt())
          .isPositive();
      d.eval(
          "(() => { const s = document.getElementById('flame-search'); s.value = '';"
              + " s.dispatchEvent(new Event('input')); })()");

      // against phase beta: alpha's function grew, beta's shrank
      select(d, "flame-vs", "phase beta");
      assertThat(d.eval("document.body.dataset.flame").asText()).isEqualTo("diff");
      assertThat(delta(d, "crunch_alpha")).isGreaterThan(0.5);
      assertThat(delta(d, "crunch_beta")).isLessThan(-0.5);
      at = centre(d, "crunch_beta");
      d.mouse("mouseMoved", at[0], at[1], "none", 0, 0);
      assertThat(d.eval("document.getElementById('flame-tip').innerText").asText())
          .contains("crunch_beta", "phase beta", "phase alpha", "change", "−");
      screenshot(d, "flame-diff-phases.png");

      // against the other run: the same phase, small changes only
      select(d, "flame-vs", "baseline run");
      assertThat(Math.abs(delta(d, "crunch_alpha"))).isLessThan(0.2);
      select(d, "flame-graph", "off-CPU · phase wait");
      assertThat(text(d, "flame-title")).contains("off-CPU", "wait");
      assertThat(d.eval("window.__aiprofFlame.frames().map(f => f.name).join(';')").asText())
          .contains("nanosleep", "schedule");
      screenshot(d, "flame-offcpu-wait.png");
      assertThat(d.console).isEmpty();
    }
  }

  private static String text(DevTools d, String id) {
    return d.eval("document.getElementById('" + id + "').textContent").asText();
  }

  /** Picks the option of select {@code id} whose text starts with {@code label}. */
  private static void select(DevTools d, String id, String label) {
    JsonNode ok =
        d.eval(
            "(() => { const s = document.getElementById('"
                + id
                + "'); const o = Array.from(s.options).find(o => o.text.startsWith("
                + JSON.valueToTree(label)
                + ")); if (!o) return Array.from(s.options).map(o => o.text).join(' | ');"
                + " s.value = o.value; s.dispatchEvent(new Event('change')); return true; })()");
    assertThat(ok.isBoolean()).as("option %s of %s among %s", label, id, ok).isTrue();
  }

  /** The widest drawn frame named {@code name}: {name, x, w, d}. */
  private static JsonNode frame(DevTools d, String name) {
    JsonNode f =
        d.eval(
            "window.__aiprofFlame.frames().filter(f => f.name === "
                + JSON.valueToTree(name)
                + ").sort((a, b) => b.w - a.w)[0] || null");
    assertThat(f.isObject()).as("a frame %s", name).isTrue();
    return f;
  }

  /** The change of share of the widest frame named {@code name} in the shown diff. */
  private static double delta(DevTools d, String name) {
    return d.eval(
            "(() => { const g = Array.from(document.querySelectorAll('#flame-box g.fr'))"
                + ".filter(g => g.dataset.name === "
                + JSON.valueToTree(name)
                + ").sort((a, b) => b.getBBox().width - a.getBBox().width)[0];"
                + " return g ? +g.dataset.d : NaN; })()")
        .asDouble();
  }

  /** The centre of the widest frame named {@code name}, in viewport coordinates, scrolled to. */
  private static double[] centre(DevTools d, String name) {
    JsonNode c =
        d.eval(
            "(() => { const g = Array.from(document.querySelectorAll('#flame-box g.fr'))"
                + ".filter(g => g.dataset.name === "
                + JSON.valueToTree(name)
                + ").sort((a, b) => b.getBBox().width - a.getBBox().width)[0];"
                + " g.scrollIntoView({block: 'center'}); const r = g.querySelector('rect')"
                + ".getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()");
    return new double[] {c.get(0).asDouble(), c.get(1).asDouble()};
  }

  private static void screenshot(DevTools d, String file) throws Exception {
    JsonNode box =
        d.eval(
            "(() => { const r = document.getElementById('flames').getBoundingClientRect();"
                + " return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]; })()");
    ObjectNode clip =
        JSON.createObjectNode()
            .put("x", box.get(0).asDouble())
            .put("y", box.get(1).asDouble())
            .put("width", box.get(2).asDouble())
            .put("height", box.get(3).asDouble())
            .put("scale", 1);
    ObjectNode p = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
    p.set("clip", clip);
    JsonNode shot = d.call("Page.captureScreenshot", p);
    Files.write(
        ReportPageIT.ARTIFACTS.resolve(file),
        Base64.getDecoder().decode(shot.get("data").asText()));
  }
}
