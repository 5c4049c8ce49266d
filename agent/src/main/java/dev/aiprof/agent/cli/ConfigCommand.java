package dev.aiprof.agent.cli;

import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.agent.config.ConfigDocument;
import dev.aiprof.agent.config.ConfigEntry;
import dev.aiprof.agent.config.LiveSettings;
import dev.aiprof.agent.config.SecretKeys;
import dev.aiprof.pipeline.CollectorCatalog;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code aiprof config check FILE}: the config file validated as {@code run} would, not run. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "The agent's config file (aiprof run --config FILE).",
    subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Validates without starting: exit 0 and the keys it sets, or 2 and the problem. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Validate a config file as aiprof run --config would at start-up and on SIGHUP, without"
            + " starting anything: exit 0 and the settings it gives (secrets not shown), or exit"
            + " 2 naming the file, the line, the key and the fix.",
        "The exporters' otel.* values are checked by the OpenTelemetry SDK when run starts."
      })
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The config file, e.g. /etc/aiprof/config.yaml")
    Path file;

    @Override
    public Integer call() {
      ConfigDocument doc = ConfigFile.read(file);
      SettingsInput.validate(AgentSettings.catalog(CollectorCatalog.discover()), doc, Map.of());
      System.out.println(file + ": ok, " + doc.entries().size() + " settings");
      for (ConfigEntry e : doc.all()) {
        System.out.printf(
            "  %-40s %s (line %d, %s)%n",
            e.key(),
            SecretKeys.shown(e.key(), e.value()),
            e.line(),
            LiveSettings.isLive(e.key()) ? "reloads live on SIGHUP" : "restart to change");
      }
      return 0;
    }
  }
}
