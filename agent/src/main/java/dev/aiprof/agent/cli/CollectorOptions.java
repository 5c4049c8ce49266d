package dev.aiprof.agent.cli;

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
