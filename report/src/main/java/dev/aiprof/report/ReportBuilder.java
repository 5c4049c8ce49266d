package dev.aiprof.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiprof.report.model.AgentMetrics;
import dev.aiprof.report.model.ReadStats;
import dev.aiprof.report.model.WindowModel;
import dev.aiprof.report.otlp.MetricReader;
import dev.aiprof.report.otlp.OtlpFiles;
import dev.aiprof.report.otlp.SpanRecord;
import dev.aiprof.report.otlp.TraceReader;
import dev.aiprof.report.profile.Profiles;
import dev.aiprof.report.write.FlamePage;
import dev.aiprof.report.write.HtmlReport;
import dev.aiprof.report.write.PerfettoTrace;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the report of a recorded window: reads the {@code traces-*.jsonl} files of an OTLP output
 * directory (and from its {@code metrics-*.jsonl}, the agent's loss counters and GPU utilisation),
 * and writes {@code aiprof-report.html} (self-contained) and {@code aiprof-trace.json}
 * (Chrome/Perfetto trace events) into {@code outDir}. The same files and options give
 * byte-identical output.
 *
 * <p>Stateless and thread-safe; one call reads the files once (twice with {@code since} or {@code
 * service}: a cheap scan for the newest span and the service's pids first, so that the span cap
 * holds only spans that are kept).
 */
public final class ReportBuilder {
  public static final String HTML = "aiprof-report.html";
  public static final String PERFETTO = "aiprof-trace.json";

  /** Heap a kept span costs, with its share of the page's data, at most (measured: about 2 KiB). */
  static final long BYTES_PER_SPAN = 4096;

  /**
   * The default cap on spans read: half this JVM's heap at {@link #BYTES_PER_SPAN} each, between
   * 1,000 and 200,000 (with the launcher's 128 MiB heap, 16,384; 20,000 were measured to fit and
   * 40,000 not). More are counted and shown.
   */
  public static int defaultMaxSpans() {
    long n = Runtime.getRuntime().maxMemory() / 2 / BYTES_PER_SPAN;
    return (int) Math.max(1_000, Math.min(200_000, n));
  }

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
   * @param profiles the profile collector's {@code profile.output-dir} (default: {@code profiles}
   *     beside {@code otlpDir}, where the agent writes both by default), or one window's directory
   * @param diffFrom another run's profiles, for differential flame graphs: a demo output directory,
   *     an OTLP directory with {@code profiles} beside it, or a profile directory
   */
  public record Options(
      Path otlpDir,
      Optional<String> service,
      Optional<Duration> since,
      Path outDir,
      String host,
      int maxSpans,
      Optional<Path> profiles,
      Optional<Path> diffFrom) {
    public Options(
        Path otlpDir,
        Optional<String> service,
        Optional<Duration> since,
        Path outDir,
        String host,
        int maxSpans) {
      this(otlpDir, service, since, outDir, host, maxSpans, Optional.empty(), Optional.empty());
    }

    public Options(
        Path otlpDir,
        Optional<String> service,
        Optional<Duration> since,
        Path outDir,
        String host) {
      this(otlpDir, service, since, outDir, host, defaultMaxSpans());
    }
  }

  /**
   * The files written, and how many traces and spans the window holds.
   *
   * @param traces the requests: traces with a client or server root span (every trace when none has
   *     one)
   */
  public record Result(Path html, Path perfetto, int traces, int spans, Profiles profiles) {}

  /** Where the profiles are by default: {@code profiles} beside the OTLP directory. */
  public static Path defaultProfiles(Path otlpDir) {
    return otlpDir.toAbsolutePath().resolveSibling("profiles");
  }

  /**
   * Thrown when there is nothing to report: no such directory, no trace files, or no span left
   * after the filters. Its message names the cause and the fix.
   */
  public static final class NothingToReport extends IOException {
    public NothingToReport(String message) {
      super(message);
    }
  }

  /**
   * The trace files of {@code otlpDir}, oldest first.
   *
   * @throws NothingToReport when it is not a directory or holds no trace file
   */
  public static List<Path> traceFiles(Path otlpDir) throws IOException {
    if (!Files.isDirectory(otlpDir)) {
      throw new NothingToReport(
          "no directory "
              + otlpDir
              + ": pass the agent's OTLP output directory (aiprof run --output-dir, by default"
              + " /var/lib/aiprof/otlp as root)");
    }
    List<Path> files = OtlpFiles.of(otlpDir, "traces");
    if (files.isEmpty()) {
      throw new NothingToReport(
          "no traces-*.jsonl files in "
              + otlpDir
              + ": run the agent with the file exporter there (aiprof run --output-dir DIR)");
    }
    return files;
  }

  public static Result build(Options o) throws IOException {
    List<Path> files = traceFiles(o.otlpDir());
    TraceReader.Scan scan =
        o.since().isPresent() || o.service().isPresent()
            ? TraceReader.scan(files, o.service())
            : new TraceReader.Scan(Long.MIN_VALUE, Set.of());
    long notBefore =
        o.since().isEmpty() || scan.latestEndNs() == Long.MIN_VALUE
            ? Long.MIN_VALUE
            : scan.latestEndNs() - o.since().get().toNanos();
    TraceReader reader = new TraceReader(o.service(), scan.servicePids(), notBefore, o.maxSpans());
    for (Path f : files) {
      readIfThere(f, reader::read);
    }
    List<SpanRecord> spans = reader.spans();
    if (spans.isEmpty()) {
      throw new NothingToReport(noSpans(o, files.size(), reader));
    }
    ReadStats read =
        new ReadStats(
            files.size(),
            spans.size(),
            reader.filtered(),
            reader.overCap(),
            reader.badLines(),
            o.maxSpans());
    WindowModel model = WindowModel.of(spans, read, metrics(o.otlpDir(), notBefore));
    Path dir = o.profiles().orElse(defaultProfiles(o.otlpDir()));
    Profiles profiles = Profiles.read(dir, model.startNs(), model.endNs());
    Profiles baseline = Profiles.NONE;
    if (o.diffFrom().isPresent()) {
      Path from = Profiles.ofRun(o.diffFrom().get());
      if (!Files.isDirectory(from)) {
        throw new NothingToReport(
            "no directory "
                + from
                + " for --diff-from: pass another run's output directory (aiprof demo"
                + " --output-dir), its OTLP directory or its profile directory");
      }
      baseline = Profiles.readAll(from);
    }
    return write(model, o, profiles, FlamePage.of(profiles, baseline));
  }

  /** The loss counters and GPU series of the metric files, if any. */
  private static AgentMetrics metrics(Path dir, long notBefore) throws IOException {
    MetricReader metrics = new MetricReader(notBefore);
    List<Path> files = OtlpFiles.of(dir, "metrics");
    for (Path f : files) {
      readIfThere(f, metrics::read);
    }
    return AgentMetrics.of(metrics, files.size());
  }

  private static Result write(WindowModel model, Options o, Profiles profiles, ObjectNode flames)
      throws IOException {
    Files.createDirectories(o.outDir());
    Path html = o.outDir().resolve(HTML);
    Path trace = o.outDir().resolve(PERFETTO);
    writeAtomically(
        html,
        tmp -> {
          try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            HtmlReport.write(model, o.host(), flames, w);
          }
        });
    writeAtomically(
        trace,
        tmp -> {
          try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
            PerfettoTrace.write(model, out);
          }
        });
    return new Result(html, trace, model.served().size(), model.phases().size(), profiles);
  }

  private interface FileReading {
    void read(Path file) throws IOException;
  }

  /**
   * Reads a file that may have been rotated away (deleted for the size cap) since it was listed.
   */
  private static void readIfThere(Path f, FileReading r) throws IOException {
    try {
      r.read(f);
    } catch (NoSuchFileException e) {
      // the others still count
    }
  }

  private interface FileWriting {
    void write(Path tmp) throws IOException;
  }

  /** Writes {@code target} through a temporary file beside it: a failed run leaves no half file. */
  private static void writeAtomically(Path target, FileWriting w) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      w.write(tmp);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
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
