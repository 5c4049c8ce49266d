package dev.aiprof.agent.cli;

import dev.aiprof.agent.config.RunSettings;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorChoice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Which collectors run: {@code --collectors}, {@code --enable}, {@code --disable}. */
final class CollectorOptions {
  @Option(
      names = "--collectors",
      split = ",",
      paramLabel = "NAME",
      description = "Run only these collectors (default: every collector on by default).")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--enable",
      split = ",",
      paramLabel = "NAME",
      description = "Also run these collectors, which are off by default.")
  List<String> enable = new ArrayList<>();

  @Option(
      names = "--disable",
      split = ",",
      paramLabel = "NAME",
      description = "Do not run these collectors.")
  List<String> disable = new ArrayList<>();

  /**
   * The choice, checked against the collectors this agent has.
   *
   * @throws UsageException on an unknown name, or a name both chosen and disabled
   */
  CollectorChoice choice(CollectorCatalog catalog) {
    CollectorChoice c = new CollectorChoice(names(only), names(enable), names(disable));
    try {
      catalog.select(c);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return c;
  }

  /**
   * The choice, the flags winning over the settings ({@code collectors.only}, {@code .enable},
   * {@code .disable} from the config file or {@code --set}): each flag given replaces its setting.
   *
   * @throws UsageException on an unknown name, or a name both chosen and disabled
   */
  CollectorChoice choice(CollectorCatalog catalog, Settings s) {
    CollectorChoice c =
        new CollectorChoice(
            names(only.isEmpty() ? s.get(RunSettings.COLLECTORS_ONLY) : only),
            names(enable.isEmpty() ? s.get(RunSettings.COLLECTORS_ENABLE) : enable),
            names(disable.isEmpty() ? s.get(RunSettings.COLLECTORS_DISABLE) : disable));
    try {
      catalog.select(c);
    } catch (IllegalArgumentException e) {
      boolean fromSettings =
          RunSettings.ALL.stream().anyMatch(k -> k.owner().equals("collectors") && s.isSet(k));
      throw new UsageException(
          e.getMessage()
              + (fromSettings ? " (in --collectors/--enable/--disable or collectors.*)" : ""));
    }
    return c;
  }

  private static Set<String> names(List<String> list) {
    Set<String> out = new LinkedHashSet<>();
    for (String s : list) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }
}
