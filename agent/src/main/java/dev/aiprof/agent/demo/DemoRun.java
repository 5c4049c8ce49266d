package dev.aiprof.agent.demo;

import dev.aiprof.agent.doctor.Doctor;
import dev.aiprof.agent.run.Agent;
import dev.aiprof.agent.run.RunOptions;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.exporters.file.FileSpanExporterProvider;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorChoice;
import dev.aiprof.report.ReportBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code aiprof demo} from start to end: the agent (the one composition {@code aiprof run} uses:
 * every collector that can run here, OTLP JSON files in this run's directory, and OTLP when the
 * {@code OTEL_*} variables name an endpoint), the reference server and client as child processes,
 * then the table and verdict read back from the exported files, the report, and where it all is.
 */
public final class DemoRun {
  private final DemoOptions o;
  private final RunOptions run;
  private final CollectorCatalog catalog;

  public DemoRun(DemoOptions o, RunOptions run, CollectorCatalog catalog) {
    this.o = o;
    this.run = run;
    this.catalog = catalog;
  }

  /**
   * The agent settings the demo runs with (under the user's {@code --set}): the OTLP/HTTP receiver
   * on an ephemeral loopback port, no gRPC receiver, the shipped marker library armed.
   */
  public static Map<String, String> agentSettings() {
    Map<String, String> s = new HashMap<>();
    s.put("otlp.http-address", "127.0.0.1:0");
    s.put("otlp.grpc-address", "off");
    Path lib = ShippedLibrary.path();
    if (lib != null) {
      s.put("marker.libraries", lib.toString());
    }
    return s;
  }

  /** The collector the demo adds to those on by default: CPU profiles for its flame graphs. */
  public static final String PROFILE = "profile";

  /**
   * The demo's collectors: the user's choice, plus {@value #PROFILE} (off by default elsewhere)
   * unless it is disabled, a {@code --collectors} list names others, or this agent has none.
   */
  public static CollectorChoice collectors(CollectorChoice c, CollectorCatalog catalog) {
    if (!c.only().isEmpty()
        || c.disable().contains(PROFILE)
        || !catalog.names().contains(PROFILE)) {
      return c;
    }
    java.util.Set<String> enable = new java.util.HashSet<>(c.enable());
    enable.add(PROFILE);
    return new CollectorChoice(c.only(), enable, c.disable());
  }

  /**
   * The demo's own settings that depend on its output directory: the profile collector's files go
   * to {@code profiles/} beside {@code otlp/}, where {@code aiprof report} looks for them.
   */
  public static Map<String, String> outputSettings(DemoOptions o) {
    return Map.of("profile.output-dir", o.outputDir().resolve("profiles").toString());
  }

  /**
   * The exporters: always the embedded OTLP JSON files, plus OTLP when the environment names an
   * endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, or the per-signal one); an explicit {@code
   * OTEL_TRACES_EXPORTER} / {@code OTEL_METRICS_EXPORTER} wins over both.
   */
  public static Map<String, String> exportSettings(Map<String, String> env) {
    Map<String, String> s = new HashMap<>();
    String file = FileSpanExporterProvider.NAME;
    boolean any = env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT");
    s.put(
        "otel.traces.exporter",
        any || env.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") ? file + ",otlp" : file);
    s.put(
        "otel.metrics.exporter",
        any || env.containsKey("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") ? file + ",otlp" : file);
    return s;
  }

  /** Runs the demo; false when the requests did not all succeed. */
  public boolean run(PrintStream out, boolean tty) throws Exception {
    ReferenceDemo.checkJar(o.referenceJar());
    String host = doctor();
    out.printf(
        "aiprof demo: a reference inference service (MiniLM embeddings, retrieval, a synthetic"
            + " %s-engine generator: its text is nonsense), traced end to end%n",
        o.engine());
    Progress progress = new Progress(out, tty);
    ReferenceDemo.Outcome outcome;
    Agent agent = Agent.start(run, catalog);
    try {
      for (String e : agent.exporters().describe()) {
        out.println("aiprof demo: exporting " + e);
      }
      outcome = new ReferenceDemo(o, progress, ShippedLibrary.path()).run(agent, out);
    } finally {
      agent.close(); // flushes every span to the files
    }
    List<RecordedSpan> spans = SpanFiles.read(o.otlpDir());
    PhaseTable table = PhaseTable.of(spans, outcome.pids());
    DemoSummary.print(table, o.inject(), outcome.clientResult(), outcome.cost(), out);
    report(host, out);
    out.println("OTLP output: " + o.otlpDir());
    return outcome.clientResult().contains("\"errors\":0,");
  }

  private void report(String host, PrintStream out) {
    try {
      ReportBuilder.Result r =
          ReportBuilder.build(
              new ReportBuilder.Options(
                  o.otlpDir(), Optional.empty(), Optional.empty(), o.outputDir(), host));
      out.printf(Locale.ROOT, "Perfetto trace: %s%n", r.perfetto());
      out.printf(
          Locale.ROOT,
          "Report: %s (%d traces, %d spans%s)%n",
          r.html(),
          r.traces(),
          r.spans(),
          r.profiles().profiles().isEmpty()
              ? ""
              : ", " + r.profiles().profiles().size() + " flame graphs");
    } catch (IOException | RuntimeException e) {
      out.println("aiprof demo: no report: " + e.getMessage());
    }
  }

  /** The host's {@code aiprof doctor} lines, for the report. */
  private String doctor() {
    return new Doctor(run.paths()).text(() -> new FeatureProber(run.btf()).probe());
  }
}
