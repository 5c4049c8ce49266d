package dev.aiprof.report;

import dev.aiprof.report.model.ReadStats;
import dev.aiprof.report.model.WindowModel;
import dev.aiprof.report.otlp.OtlpFiles;
import dev.aiprof.report.otlp.SpanRecord;
import dev.aiprof.report.otlp.TraceReader;
import dev.aiprof.report.write.HtmlReport;
import dev.aiprof.report.write.PerfettoTrace;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Builds the report of a recorded window: reads the {@code traces-*.jsonl} files of an OTLP output
 * directory, and writes {@code aiprof-report.html} (self-contained) and {@code aiprof-trace.json}
 * (Chrome/Perfetto trace events) into {@code outDir}. The same files and options give
 * byte-identical output.
 *
 * <p>Stateless and thread-safe; one call reads the files once (twice with {@code since}: a cheap
 * scan for the newest span first).
 */
public final class ReportBuilder {
  public static final String HTML = "aiprof-report.html";
  public static final String PERFETTO = "aiprof-trace.json";

  /** Spans kept in memory at most (about 1 KiB each); more are counted and shown. */
  public static final int DEFAULT_MAX_SPANS = 100_000;

  private ReportBuilder() {}

  /**
   * What to read and where to write.
   *
   * @param otlpDir the agent's OTLP file output directory
   * @param service only spans of this {@code service.name}
   * @param since only spans that ended within this long before the newest span in the files
   * @param outDir where the two files go (created if missing)
   * @param host the {@code aiprof doctor} text to show, may be empty
   * @param maxSpans the cap on spans read
   */
  public record Options(
      Path otlpDir,
      Optional<String> service,
      Optional<Duration> since,
      Path outDir,
      String host,
      int maxSpans) {
    public Options(
        Path otlpDir,
        Optional<String> service,
        Optional<Duration> since,
        Path outDir,
        String host) {
      this(otlpDir, service, since, outDir, host, DEFAULT_MAX_SPANS);
    }
  }

  /** The files written, and how many traces and spans the window holds. */
  public record Result(Path html, Path perfetto, int traces, int spans) {}

  /**
   * Thrown when there is nothing to report: no such directory, no trace files, or no span left
   * after the filters. Its message names the cause and the fix.
   */
  public static final class NothingToReport extends IOException {
    public NothingToReport(String message) {
      super(message);
    }
  }

  public static Result build(Options o) throws IOException {
    if (!Files.isDirectory(o.otlpDir())) {
      throw new NothingToReport(
          "no directory "
              + o.otlpDir()
              + ": pass the agent's OTLP output directory (aiprof run --output-dir, by default"
              + " /var/lib/aiprof/otlp as root)");
    }
    List<Path> files = OtlpFiles.of(o.otlpDir(), "traces");
    if (files.isEmpty()) {
      throw new NothingToReport(
          "no traces-*.jsonl files in "
              + o.otlpDir()
              + ": run the agent with the file exporter there (aiprof run --output-dir DIR)");
    }
    long notBefore = Long.MIN_VALUE;
    if (o.since().isPresent()) {
      long newest = Long.MIN_VALUE;
      for (Path f : files) {
        newest = Math.max(newest, TraceReader.latestEnd(f));
      }
      notBefore = newest == Long.MIN_VALUE ? newest : newest - o.since().get().toNanos();
    }
    TraceReader reader = new TraceReader(o.service(), notBefore, o.maxSpans());
    for (Path f : files) {
      try {
        reader.read(f);
      } catch (NoSuchFileException e) {
        // rotated away (deleted for the size cap) while we read: the others still count
      }
    }
    List<SpanRecord> spans = reader.spans();
    if (spans.isEmpty()) {
      throw new NothingToReport(noSpans(o, files.size(), reader));
    }
    WindowModel model =
        WindowModel.of(
            spans,
            new ReadStats(
                files.size(),
                spans.size(),
                reader.filtered(),
                reader.overCap(),
                reader.badLines(),
                o.maxSpans()));
    Files.createDirectories(o.outDir());
    Path html = o.outDir().resolve(HTML);
    Files.writeString(html, HtmlReport.render(model, o.host()), StandardCharsets.UTF_8);
    Path trace = o.outDir().resolve(PERFETTO);
    try (OutputStream out = Files.newOutputStream(trace)) {
      PerfettoTrace.write(model, out);
    }
    return new Result(html, trace, model.requests().size(), spans.size());
  }

  private static String noSpans(Options o, int files, TraceReader r) {
    String where = files + " trace file(s) in " + o.otlpDir();
    if (r.filtered() > 0) {
      return "no spans match"
          + o.service().map(s -> " --service " + s).orElse("")
          + o.since().map(d -> " --since " + d.toString().substring(2).toLowerCase()).orElse("")
          + " in "
          + where
          + " ("
          + r.filtered()
          + " spans left out): check the service name or widen --since";
    }
    return "no spans in "
        + where
        + (r.badLines() > 0 ? " (" + r.badLines() + " lines were not OTLP JSON)" : "")
        + ": the agent wrote none yet; run a workload that marks phases or sends spans";
  }
}
