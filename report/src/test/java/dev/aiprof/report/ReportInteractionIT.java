package dev.aiprof.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiprof.testing.Requires;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture's page driven like a user would, over the DevTools protocol: the wheel zooms the
 * timeline about the cursor, a drag pans it, hovering a bar shows its tooltip, a click on a request
 * opens its waterfall, a header click sorts; and no console message or exception at all.
 */
@Requires(tools = "chromium")
class ReportInteractionIT {
  @TempDir Path tmp;

  /** The shown range from the toolbar: "a – b (c shown)" in the page's format, as ms. */
  static double[] range(DevTools d) {
    JsonNode r = d.eval("(() => { const v = window.__aiprofView(); return [v[0], v[1]]; })()");
    return new double[] {r.get(0).asDouble(), r.get(1).asDouble()};
  }

  @Test
  void wheelZoomsDragPansHoverShowsClickOpensAndHeadersSort() throws Exception {
    ReportBuilder.Result r =
        ReportBuilder.build(
            new ReportBuilder.Options(Fixture.dir(), Optional.empty(), Optional.empty(), tmp, ""));
    try (DevTools d = new DevTools(tmp.resolve("profile"))) {
      d.open(r.html());
      d.await("document.body && document.body.dataset.ready === '1'", 30);
      JsonNode box =
          d.eval(
              "(() => { const b = document.getElementById('timeline-canvas').getBoundingClientRect();"
                  + " window.scrollTo(0, b.top + window.scrollY - 40);"
                  + " const c = document.getElementById('timeline-canvas').getBoundingClientRect();"
                  + " return [c.left, c.top, c.width, c.height]; })()");
      double left = box.get(0).asDouble(),
          top = box.get(1).asDouble(),
          width = box.get(2).asDouble();
      double[] full = range(d);

      // wheel up over the middle: the range shrinks about the cursor
      double x = left + width / 2, y = top + 60;
      d.mouse("mouseWheel", x, y, "none", 0, -400);
      d.await(
          "window.__aiprofView()[1] - window.__aiprofView()[0] < " + (full[1] - full[0]) * 0.7, 10);
      double[] zoomed = range(d);
      double cursorT = full[0] + (full[1] - full[0]) / 2;
      assertThat(zoomed[0]).isGreaterThan(full[0]).isLessThan(cursorT);
      assertThat(zoomed[1]).isLessThan(full[1]).isGreaterThan(cursorT);

      // drag right by 200 px: the view moves earlier by 200 px worth of time
      d.mouse("mousePressed", x, y, "left", 1, 0);
      d.mouse("mouseMoved", x + 100, y, "left", 1, 0);
      d.mouse("mouseMoved", x + 200, y, "left", 1, 0);
      d.mouse("mouseReleased", x + 200, y, "left", 0, 0);
      double[] panned = range(d);
      double shift = 200 / width * (zoomed[1] - zoomed[0]);
      assertThat(zoomed[0] - panned[0]).isCloseTo(shift, withPercentage(5));
      assertThat(d.eval("location.hash").asText()).startsWith("#view=");

      // double-click resets; hovering a phase bar shows its tooltip with its duration
      d.eval(
          "document.getElementById('timeline-canvas').dispatchEvent(new MouseEvent('dblclick', {bubbles: true}))");
      JsonNode bar =
          d.eval(
              "(() => { const D = JSON.parse(document.getElementById('data').textContent);"
                  + " const v = window.__aiprofView(); const i = D.phases.findIndex(p => p.depth === 0"
                  + " && D.lanes[p.lane].name.startsWith('server-worker')); const p = D.phases[i];"
                  + " const lab = document.querySelector('.lane-label[data-lane=\"' + p.lane + '\"]');"
                  + " return [(p.s + p.e) / 2, v[0], v[1], lab.offsetTop, p.name]; })()");
      double t = bar.get(0).asDouble();
      double bx =
          left
              + (t - bar.get(1).asDouble())
                  / (bar.get(2).asDouble() - bar.get(1).asDouble())
                  * width;
      double by = top + bar.get(3).asDouble() + 10;
      d.mouse("mouseMoved", bx, by, "none", 0, 0);
      d.await("getComputedStyle(document.querySelector('.tooltip')).display === 'block'", 10);
      assertThat(d.eval("document.querySelector('.tooltip .t').textContent").asText())
          .isEqualTo(bar.get(4).asText());

      // a click on the third request opens its waterfall
      String trace =
          d.eval("document.querySelectorAll('tr.request-row')[2].dataset.trace").asText();
      d.eval("document.querySelectorAll('tr.request-row')[2].click()");
      assertThat(d.eval("document.querySelector('.wf-head').textContent").asText()).contains(trace);
      assertThat(d.eval("document.querySelectorAll('.wf-row').length").asInt()).isEqualTo(14);

      // sorting by duration: rows in order, then reversed
      d.eval("document.querySelectorAll('#request-table th')[3].click()");
      List<Double> asc = durations(d);
      assertThat(asc).isSorted();
      d.eval("document.querySelectorAll('#request-table th')[3].click()");
      List<Double> desc = durations(d);
      assertThat(desc.reversed()).isSorted();

      assertThat(d.console).isEmpty();
    }
  }

  private static List<Double> durations(DevTools d) {
    List<Double> out = new ArrayList<>();
    for (JsonNode v :
        d.eval(
            "Array.from(document.querySelectorAll('#request-table tbody tr'))"
                + ".map(r => +r.cells[3].dataset.v)")) {
      out.add(v.asDouble());
    }
    return out;
  }
}
