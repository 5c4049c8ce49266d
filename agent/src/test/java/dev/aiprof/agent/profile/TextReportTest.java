package dev.aiprof.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import io.opentelemetry.api.common.Attributes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text report: sections in order, the phase table among them, columns laid out (pure). */
class TextReportTest {
  private static CorrelatedPhase phase(String name, long wall, Map<Category, Long> values) {
    Phase p = new Phase(name, PhaseOrigin.MARKER, 1, 2, 0, wall, 0, null, null);
    return new CorrelatedPhase(
        p, Attributes.empty(), Attributes.empty(), List.of(), values, List.of(), 0, wall);
  }

  private static ReportSection section(int order, String title, Table t) {
    return new ReportSection() {
      @Override
      public int order() {
        return order;
      }

      @Override
      public void open(ReportScope scope) {}

      @Override
      public void render(ReportWriter out) {
        out.heading(title);
        if (t == null) {
          out.line("(none)");
        } else {
          out.table(t);
        }
        if (order == 100) {
          out.histogram(
              "Runqueue latency, /a",
              new Log2Histogram(new long[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4}));
        }
      }
    };
  }

  @Test
  void sectionsComeInOrderWithThePhaseTableBetweenThem() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TextReport r = new TextReport(new PrintStream(bytes, true, StandardCharsets.UTF_8), c -> true);
    r.accept(
        phase(
            "step", 4_000_000, Map.of(Category.ON_CPU, 1_000_000L, Category.RUNQUEUE, 3_000_000L)));
    r.accept(
        phase("load", 2_000_000, Map.of(Category.BLOCKED, 2_000_000L, Category.BYTES_READ, 4096L)));
    Table workloads =
        Table.builder(Table.Column.left("CGROUP", 8), Table.Column.right("WAIT"))
            .row("/kubepods.slice/a", "1.00ms")
            .row("/b", "12.00ms")
            .build();
    r.window("pid 1 (java)", Duration.ofSeconds(10), null, "collectors: sched (running, 3 series)");
    r.finish(List.of(section(300, "Longest stalls", null), section(100, "Workloads", workloads)));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).startsWith("aiprof profile: pid 1 (java) over 10.00s\n\n");
    assertThat(out.indexOf("Workloads:"))
        .isLessThan(out.indexOf("Phases, by wall time"))
        .isLessThan(out.indexOf("Longest stalls:"));
    assertThat(out)
        .contains("  CGROUP      WAIT\n")
        .contains("  /k…ice/a  1.00ms\n")
        .contains("  /b       12.00ms\n")
        .contains("      1.0us -> 2.0us     : 2        |********************                    |")
        .contains("  (none)\n")
        .endsWith("collectors: sched (running, 3 series)\n");
    String step = out.lines().filter(l -> l.startsWith("  step")).findFirst().orElseThrow();
    assertThat(step).contains("1.00ms  25.0%").contains("3.00ms  75.0%").endsWith("-");
    String load = out.lines().filter(l -> l.startsWith("  load")).findFirst().orElseThrow();
    assertThat(load).contains("2.00ms 100.0%").endsWith("4096");
    assertThat(out).contains("READ");
  }
}
