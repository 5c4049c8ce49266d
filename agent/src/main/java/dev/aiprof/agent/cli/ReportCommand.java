package dev.aiprof.agent.cli;

import dev.aiprof.agent.doctor.Doctor;
import dev.aiprof.api.Durations;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.exporters.file.FileSettings;
import dev.aiprof.report.ReportBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code aiprof report}: the HTML report and the Perfetto trace of a recorded window, from the OTLP
 * JSON files the agent wrote. Reads files only; with {@code --doctor} (the default) it also probes
 * this host, as {@code aiprof doctor} does, for the report's host section.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Build a self-contained HTML report (timeline per thread, request waterfalls, per-phase"
          + " breakdowns, TTFT/TPOT) and a Chrome/Perfetto trace from the agent's OTLP JSON files.",
      "Open the .html in any browser (nothing is fetched); open the .json in ui.perfetto.dev."
    })
final class ReportCommand implements Callable<Integer> {
  @Option(
      names = "--from",
      paramLabel = "DIR",
      description =
          "The agent's OTLP output directory (default: /var/lib/aiprof/otlp as root, else"
              + " ~/.local/share/aiprof/otlp).")
  Path from;

  @Option(
      names = "--service",
      paramLabel = "NAME",
      description =
          "Only spans of this service.name, and the agent's spans of the same processes"
              + " (their marker phases).")
  String service;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description = "Only spans that ended within this long before the newest one, e.g. 10m.")
  String since;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where to write the two files (default: the current directory).")
  Path out;

  @Option(
      names = "--max-spans",
      paramLabel = "N",
      description =
          "Read at most N spans (default: what half the heap holds, 24576 with the"
              + " launcher's 192 MiB; raise the heap with AIPROF_JAVA_OPTS=-Xmx1g).")
  Integer maxSpans;

  @Option(
      names = "--profiles",
      paramLabel = "DIR",
      description =
          "The profile collector's directory (profile.output-dir) or one of its window"
              + " directories, for the flame graphs (default: profiles beside --from, where the"
              + " agent writes both by default).")
  Path profiles;

  @Option(
      names = "--diff-from",
      paramLabel = "DIR",
      description =
          "Another run's profiles, for differential flame graphs against it: its aiprof demo"
              + " --output-dir, its OTLP directory (profiles beside it) or its profile directory.")
  Path diffFrom;

  @Option(
      names = "--doctor",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Include this host's aiprof doctor lines (default: on).")
  boolean doctor;

  @Mixin HostOptions host;

  @Override
  public Integer call() {
    Optional<Duration> window = Optional.empty();
    if (since != null) {
      try {
        Duration d = Durations.parse("--since", since);
        if (d.isZero()) {
          throw new UsageException(
              "invalid --since '" + since + "': use a positive duration, e.g. 10m");
        }
        window = Optional.of(d);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    if (maxSpans != null && maxSpans < 1) {
      throw new UsageException("invalid --max-spans " + maxSpans + ": use a whole number above 0");
    }
    Path dir = from != null ? from : FileSettings.defaultDirectory();
    ReportBuilder.Result r;
    try {
      ReportBuilder.traceFiles(dir); // a missing directory fails before the doctor's probes run
      r =
          ReportBuilder.build(
              new ReportBuilder.Options(
                  dir,
                  Optional.ofNullable(service),
                  window,
                  out != null ? out : Path.of(""),
                  doctor ? doctorText() : "",
                  maxSpans != null ? maxSpans : ReportBuilder.defaultMaxSpans(),
                  Optional.ofNullable(profiles),
                  Optional.ofNullable(diffFrom)));
    } catch (ReportBuilder.NothingToReport e) {
      throw new UsageException(e.getMessage());
    } catch (IOException e) {
      throw new UsageException("cannot build the report: " + e.getMessage());
    }
    System.out.printf(
        "Report: %s%nPerfetto trace: %s (open in ui.perfetto.dev)%n%d traces, %d spans%n",
        r.html().toAbsolutePath(), r.perfetto().toAbsolutePath(), r.traces(), r.spans());
    if (r.profiles().windows() > 0) {
      System.out.printf(
          "Flame graphs: %d profiles from %d window(s) in %s%n",
          r.profiles().profiles().size(), r.profiles().windows(), r.profiles().source());
    } else if (profiles != null) {
      System.out.printf(
          "No flame graphs: no profile window in %s overlaps the report's window%n", profiles);
    }
    return 0;
  }

  private String doctorText() {
    return new Doctor(host.paths())
        .nvmlLibrary(Optional.ofNullable(host.nvmlLibrary))
        .text(() -> new FeatureProber(host.btf()).probe());
  }
}
