package dev.aiprof.pipeline;

import dev.aiprof.api.collector.CollectorProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The order collectors start in: each after every collector it requires or uses, else by name. */
final class StartOrder {
  private StartOrder() {}

  /**
   * @throws IllegalArgumentException on a dependency cycle
   */
  static List<CollectorProvider> of(CollectorCatalog catalog) {
    List<CollectorProvider> out = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> visiting = new HashSet<>();
    catalog.providers().stream()
        .sorted(Comparator.comparing(CollectorProvider::getName))
        .forEach(p -> visit(catalog, p, done, visiting, out));
    return out;
  }

  private static void visit(
      CollectorCatalog catalog,
      CollectorProvider p,
      Set<String> done,
      Set<String> visiting,
      List<CollectorProvider> out) {
    if (done.contains(p.getName())) {
      return;
    }
    if (!visiting.add(p.getName())) {
      throw new IllegalArgumentException("collector dependency cycle through " + p.getName());
    }
    List<String> deps = new ArrayList<>(p.requires());
    deps.addAll(p.uses());
    deps.sort(null);
    for (String d : deps) {
      CollectorProvider dp = catalog.get(d);
      if (dp != null) {
        visit(catalog, dp, done, visiting, out);
      }
    }
    visiting.remove(p.getName());
    done.add(p.getName());
    out.add(p);
  }
}
