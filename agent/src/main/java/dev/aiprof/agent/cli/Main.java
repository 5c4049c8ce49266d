package dev.aiprof.agent.cli;

import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.bpf.UnsupportedFeatureException;
import dev.aiprof.pipeline.CollectorCatalog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code aiprof} command line. Exit status: 0 success, 1 runtime failure, 2 usage error (bad
 * argument, missing privilege, unsupported host), with a one-line cause and fix on stderr.
 */
@Command(
    name = "aiprof",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "eBPF profiler for AI training and inference workloads.",
    subcommands = {
      DoctorCommand.class,
      ProfileCommand.class,
      DemoCommand.class,
      RunCommand.class,
      ReportCommand.class,
      ConfigCommand.class,
      ProbesCommand.class
    })
public final class Main implements Runnable {
  @Option(names = "--verbose", description = "Log debug messages (libbpf's included).")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Privileges.ownProcess = true;
    System.exit(run(args));
  }

  /** Runs the CLI and returns the exit status (tests call this). */
  public static int run(String... args) {
    configureLogging(false);
    CommandLine cl = new CommandLine(new Main());
    settingsTable(cl.getSubcommands().get("run"));
    cl.setExecutionStrategy(
        pr -> {
          Main top = pr.commandSpec().root().userObject() instanceof Main m ? m : null;
          if (top != null && top.verbose) {
            configureLogging(true);
          }
          return new CommandLine.RunLast().execute(pr);
        });
    cl.setParameterExceptionHandler(
        (e, a) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("aiprof: " + e.getMessage());
          err.println("Try 'aiprof " + commandPath(e.getCommandLine()) + "--help'.");
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (e, c, pr) -> {
          PrintWriter err = c.getErr();
          if (e instanceof UsageException || e instanceof UnsupportedFeatureException) {
            err.println("aiprof: " + e.getMessage());
            return 2;
          }
          err.println("aiprof: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          if (Logger.getLogger("").getLevel() == Level.FINE) {
            e.printStackTrace(err);
          }
          return 1;
        });
    return cl.execute(args);
  }

  /** Lists every settings key, its meaning and default under {@code aiprof run --help}. */
  private static void settingsTable(CommandLine run) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Settings (--set KEY=VALUE, or KEY: VALUE in the YAML --config FILE):");
    AgentSettings.catalog(CollectorCatalog.discover())
        .text()
        .forEach(l -> lines.add(l.replace("%", "%%")));
    run.getCommandSpec().usageMessage().footer(lines.toArray(String[]::new));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  private static String commandPath(CommandLine cl) {
    String q = cl.getCommandSpec().qualifiedName(" ");
    return q.startsWith("aiprof")
        ? q.substring("aiprof".length()).strip() + (q.equals("aiprof") ? "" : " ")
        : "";
  }

  static void configureLogging(boolean verbose) {
    System.setProperty("java.util.logging.SimpleFormatter.format", "aiprof %4$s %3$s: %5$s%6$s%n");
    Logger root = Logger.getLogger("");
    Level level = verbose ? Level.FINE : Level.WARNING;
    root.setLevel(level);
    for (var h : root.getHandlers()) {
      h.setLevel(level);
      h.setFormatter(new java.util.logging.SimpleFormatter());
    }
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"aiprof " + (v == null ? "dev" : v)};
    }
  }
}
