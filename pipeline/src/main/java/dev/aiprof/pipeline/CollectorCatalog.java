package dev.aiprof.pipeline;

import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.settings.Setting;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The collectors this agent has: every {@link CollectorProvider} on the class path, found with
 * {@link ServiceLoader}, by name. Nothing in the agent names a collector; a collector in another
 * module registers with one services file. Immutable.
 */
public final class CollectorCatalog {
  private final Map<String, CollectorProvider> providers;

  private CollectorCatalog(Map<String, CollectorProvider> providers) {
    this.providers = providers;
  }

  /** The providers on the class path. */
  public static CollectorCatalog discover() {
    List<CollectorProvider> found = new ArrayList<>();
    ServiceLoader.load(CollectorProvider.class).forEach(found::add);
    return of(found);
  }

  /**
   * @throws IllegalArgumentException when two providers share a name, a name is not lower-case, a
   *     provider's setting does not start with its name, or a dependency names no provider
   */
  public static CollectorCatalog of(Collection<? extends CollectorProvider> list) {
    Map<String, CollectorProvider> m = new TreeMap<>();
    for (CollectorProvider p : list) {
      String n = p.getName();
      if (!n.matches("[a-z][a-z0-9-]*")) {
        throw new IllegalArgumentException("collector name '" + n + "' is not lower-case");
      }
      CollectorProvider before = m.putIfAbsent(n, p);
      if (before != null) {
        throw new IllegalArgumentException(
            "two collectors are named "
                + n
                + ": "
                + before.getClass().getName()
                + " and "
                + p.getClass().getName());
      }
      for (Setting<?> s : p.settings()) {
        if (!s.owner().equals(n)) {
          throw new IllegalArgumentException(
              "collector " + n + " declares setting " + s.key() + ": its keys start with " + n);
        }
      }
    }
    return new CollectorCatalog(m);
  }

  public Collection<CollectorProvider> providers() {
    return providers.values();
  }

  public Set<String> names() {
    return providers.keySet();
  }

  public CollectorProvider get(String name) {
    return providers.get(name);
  }

  /** Every setting every collector declares. */
  public List<Setting<?>> settings() {
    List<Setting<?>> out = new ArrayList<>();
    providers.values().forEach(p -> out.addAll(p.settings()));
    return out;
  }

  /**
   * The collectors to run: only {@code only} when it is not empty, else those on by default plus
   * {@code enable}; minus {@code disable}.
   *
   * @throws IllegalArgumentException on an unknown name (naming the known ones), or a name both
   *     chosen and disabled
   */
  public Set<String> select(CollectorChoice choice) {
    for (Set<String> names : List.of(choice.only(), choice.enable(), choice.disable())) {
      names.forEach(this::requireKnown);
    }
    for (String n : choice.disable()) {
      if (choice.only().contains(n) || choice.enable().contains(n)) {
        throw new IllegalArgumentException(
            "collector '"
                + n
                + "' is both chosen (--collectors, --enable) and in --disable: name it in one of"
                + " them");
      }
    }
    Set<String> out = new TreeSet<>();
    for (CollectorProvider p : providers.values()) {
      String n = p.getName();
      boolean on =
          (choice.only().isEmpty() ? p.enabledByDefault() : choice.only().contains(n))
              || choice.enable().contains(n);
      if (on && !choice.disable().contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  private void requireKnown(String name) {
    if (!providers.containsKey(name)) {
      throw new IllegalArgumentException(
          "unknown collector '" + name + "': known collectors are " + providers.keySet());
    }
  }
}
