package dev.aiprof.agent.cli;

import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.agent.config.ConfigDocument;
import dev.aiprof.agent.config.RunServices;
import dev.aiprof.agent.config.RunSettings;
import dev.aiprof.agent.config.ShutdownDeadline;
import dev.aiprof.agent.privilege.CapabilityMetrics;
import dev.aiprof.agent.privilege.Privileged;
import dev.aiprof.agent.run.Agent;
import dev.aiprof.agent.run.RunOptions;
import dev.aiprof.agent.run.SdkLogging;
import dev.aiprof.agent.run.StopSignal;
import dev.aiprof.agent.systemd.ServiceNotifier;
import dev.aiprof.api.Durations;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.collectors.otlp.OtlpSettings;
import dev.aiprof.exporters.ExporterOptions;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorChoice;
import dev.aiprof.pipeline.CollectorStatus;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aiprof run}: collect and export until SIGTERM/SIGINT. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run as an agent: every collector that can run here, phase correlation, and OpenTelemetry"
          + " export (OTLP, OTLP JSON files, Prometheus) until SIGTERM or SIGINT.",
      "The standard OTEL_* variables apply (OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS,"
          + " _CERTIFICATE, OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME,"
          + " OTEL_METRIC_EXPORT_INTERVAL...); flags win over them."
    })
final class RunCommand implements Callable<Integer> {
  @Option(
      names = "--otlp-endpoint",
      paramLabel = "URL",
      description =
          "Send traces and metrics over OTLP to this endpoint (default: none: OTLP JSON"
              + " files in --output-dir).")
  String otlpEndpoint;

  @Option(
      names = "--prometheus",
      negatable = true,
      description = "Serve /metrics for Prometheus (default: on; --no-prometheus turns it off).")
  Boolean prometheus;

  @Option(
      names = "--prometheus-address",
      paramLabel = "HOST:PORT",
      description = "Where the Prometheus endpoint listens (default: 127.0.0.1:9464).")
  String prometheusAddress;

  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      description =
          "Directory of the OTLP JSON files (default: /var/lib/aiprof/otlp as root,"
              + " else ~/.local/share/aiprof/otlp).")
  Path outputDir;

  @Mixin CollectorOptions collectors;

  @Option(
      names = "--follow-pid",
      paramLabel = "PID",
      description = "Record this process's threads from the start (repeatable).")
  List<Integer> followPids = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A setting of a collector or of workload identity (repeatable), e.g. --set"
              + " identity.source=kubelet, --set marker.libraries=/opt/app/libaiprof.so, --set"
              + " otlp.grpc-address=off. Every key is listed below.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "A YAML file of --set keys and otel.* SDK properties, dotted or nested (otlp: {port:"
              + " 4318} is otlp.port), e.g. /etc/aiprof/config.yaml; a *.properties file is read"
              + " as Java properties. Environment variables, -D properties, --set and the other"
              + " flags win over it. SIGHUP reloads it.")
  Path config;

  @Option(
      names = "--duration",
      description = "Stop after this long (default: run until SIGTERM or SIGINT).")
  String duration;

  @Option(
      names = "--degraded",
      description =
          "Start even without a capability a chosen collector needs; those collectors stay off"
              + " (default: refuse, exit 2, naming each missing capability).")
  boolean degraded;

  @Option(
      names = "--keep-capabilities",
      description =
          "Keep every capability after the probes attach (default: every thread drops all but"
              + " those named in the start-up line).")
  boolean keepCapabilities;

  @Mixin HostOptions host;

  private static final Duration MAX_DURATION = Duration.ofDays(365);

  private final CollectorCatalog catalog = CollectorCatalog.discover();
  private ConfigDocument file = ConfigDocument.empty();

  @Override
  public Integer call() throws InterruptedException {
    RunOptions options = options();
    SdkLogging.quiet();
    Agent agent;
    Set<String> privileged;
    try {
      privileged = Privileged.collectors(catalog.select(options.collectors()), options.settings());
      dev.aiprof.custom.bpftrace.BpftraceSettings.check(options.settings());
      Privileges.requireForRun(options.paths(), privileged, degraded);
      if (!keepCapabilities) {
        Privileges.dropBeforeStart(privileged);
      }
      agent = Agent.start(options, catalog);
    } catch (IllegalArgumentException | ConfigurationException e) {
      throw new UsageException(startError(e));
    }
    if (!keepCapabilities) {
      CapabilityMetrics held = Privileges.dropAfterAttach(privileged);
      if (held != null) {
        agent.exporters().metrics().addSource(held);
      }
    }
    try (StopSignal stop = StopSignal.install(Duration.ofSeconds(30));
        RunServices services = services(agent, options)) {
      agent.supervisor().onFatal(stop::stop);
      boolean stopped;
      // systemd's watchdog is fed while every supervised thread is alive.
      Optional<ServiceNotifier> systemd =
          ServiceNotifier.start(System.getenv(), agent.supervisor(), "probes attached");
      try {
        report(agent);
        String why = stop.await(options.duration());
        System.err.println(
            "aiprof run: stopping ("
                + why
                + "): flushing and detaching within "
                + RunSettings.SHUTDOWN_TIMEOUT.type().format(services.shutdownTimeout()));
      } finally {
        systemd.ifPresent(ServiceNotifier::close);
        Duration d = services.shutdownTimeout();
        stopped = ShutdownDeadline.close(() -> agent.close(d), d);
      }
      System.err.println(
          stopped
              ? "aiprof run: stopped " + agent.summary()
              : "aiprof run: exited at the deadline (agent.shutdown-timeout): what was not"
                  + " exported is lost "
                  + agent.summary());
    }
    return agent.supervisor().fatal().map(RunCommand::fatal).orElse(0);
  }

  /** A thread died: exit 70 (EX_SOFTWARE) with the cause, so systemd or Kubernetes restart us. */
  private static int fatal(String why) {
    System.err.println("aiprof run: exiting 70: " + why);
    return 70;
  }

  private RunServices services(Agent agent, RunOptions o) {
    return RunServices.start(
        agent.exporters().metrics(),
        agent.readiness(),
        AgentSettings.catalog(catalog),
        file,
        withHost(settings),
        o.settings(),
        System.err);
  }

  RunOptions options() {
    HostPaths paths = host.paths();
    Duration d = null;
    if (duration != null) {
      try {
        d = Durations.parse("--duration", duration);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      if (d.isZero() || d.compareTo(MAX_DURATION) > 0) {
        throw new UsageException(
            "invalid --duration '"
                + duration
                + "': use more than 0 and at most 8760h (a year), e.g. 10s; leave it out to run"
                + " until SIGTERM");
      }
    }
    for (int pid : followPids) {
      if (pid <= 0 || !Files.isDirectory(paths.proc(Integer.toString(pid)))) {
        throw new UsageException(
            "no process with pid " + pid + " (--follow-pid): check the pid" + " with ps");
      }
    }
    if (outputDir != null && Files.exists(outputDir) && !Files.isDirectory(outputDir)) {
      throw new UsageException(
          "--output-dir "
              + outputDir
              + " is not a directory: give a"
              + " directory (it is created if missing)");
    }
    file = ConfigFile.read(config);
    Settings validated =
        SettingsInput.validate(AgentSettings.catalog(catalog), file, withHost(settings));
    try {
      OtlpSettings.from(validated); // cross-setting checks (listen beyond loopback) exit 2 here
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    CollectorChoice choice = collectors.choice(catalog, validated);
    ExporterOptions export =
        new ExporterOptions(
            otlpEndpoint,
            prometheus,
            prometheusAddress,
            outputDir,
            file.export(),
            HostName.read(paths),
            System.getenv("NODE_NAME"),
            new Main.Version().getVersion()[0].replace("aiprof ", ""));
    return new RunOptions(export, choice, followPids, paths, host.btf(), d, validated);
  }

  /** --set over the host flags' settings (--nvml-library). */
  private Map<String, String> withHost(Map<String, String> set) {
    Map<String, String> all = new LinkedHashMap<>(host.settings());
    all.putAll(set);
    return all;
  }

  /** The SDK wraps what went wrong: name the root cause, and the fix for a port in use. */
  static String startError(Throwable e) {
    StringBuilder b = new StringBuilder();
    boolean bind = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      bind |= t instanceof java.net.BindException;
      String m = t.getMessage();
      if (m != null && !m.equals("Unexpected configuration error") && b.indexOf(m) < 0) {
        b.append(b.isEmpty() ? "" : ": ").append(m);
      }
    }
    if (bind) {
      b.append(
          " (another agent on that port? choose another --prometheus-address, or"
              + " --no-prometheus)");
    }
    return b.isEmpty() ? e.toString() : b.toString();
  }

  private static void report(Agent agent) {
    StringBuilder b = new StringBuilder("aiprof run: collectors");
    for (CollectorStatus s : agent.statuses()) {
      b.append(' ').append(s.describe());
    }
    System.err.println(b);
    for (String e : agent.exporters().describe()) {
      System.err.println("aiprof run: exporting " + e);
    }
    System.err.println("aiprof run: running until SIGTERM or SIGINT");
  }
}
