package dev.aiprof.agent.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * What the demo prints at the end: the phase table, the verdict, the requests' throughput, time to
 * first token and time per output token (p50/p99, as the server measured them), and the agent's own
 * cost.
 */
final class DemoSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoSummary() {}

  static void print(
      PhaseTable table, String inject, String clientResult, AgentCost cost, PrintStream out)
      throws IOException {
    out.println();
    table.print(out);
    out.println(table.markerLine());
    out.println();
    out.println(table.verdict());
    injected(table, inject, out);
    JsonNode r = JSON.readTree(clientResult);
    out.printf(
        Locale.ROOT,
        "requests: %d ok, %d failed in %.1f s (%.2f requests/s, %.1f output tokens/s)%n",
        r.path("requests").asInt(),
        r.path("errors").asInt(),
        r.path("wall_s").asDouble(),
        r.path("requests_per_s").asDouble(),
        r.path("output_tokens_per_s").asDouble());
    out.printf(
        Locale.ROOT,
        "time to first token: p50 %s, p99 %s; time per output token: p50 %s, p99 %s%n",
        sec(r.path("ttft_p50_s").asDouble()),
        sec(r.path("ttft_p99_s").asDouble()),
        sec(r.path("tpot_p50_s").asDouble()),
        sec(r.path("tpot_p99_s").asDouble()));
    out.println(cost.line());
  }

  /** With --inject: how much of the injected phase went where the load pushes it. */
  private static void injected(PhaseTable table, String inject, PrintStream out) {
    boolean cpu = inject.equals("cpu");
    if (!cpu && !inject.equals("io")) {
      return;
    }
    String name = cpu ? "embeddings all-MiniLM-L6-v2" : "persist";
    PhaseRow r = table.row(name, "otlp");
    if (r == null) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "inject %s: %s spent %s of its thread time %s, %.2f ms per request (run without --inject"
            + " to compare)%n",
        inject,
        name,
        PhaseTable.pct(r.share(cpu ? r.runqueue : r.blocked)),
        cpu ? "in the runqueue" : "in I/O wait",
        (cpu ? r.runqueue : r.blocked) / Math.max(1, r.count()));
  }

  private static String sec(double s) {
    return PhaseTable.ms((long) (s * 1e9));
  }
}
