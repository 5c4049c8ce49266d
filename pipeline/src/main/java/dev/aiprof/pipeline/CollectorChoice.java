package dev.aiprof.pipeline;

import java.util.Set;

/**
 * Which collectors a pipeline runs, as the user chose: only {@code only} when it is not empty, else
 * those on by default plus {@code enable}; minus {@code disable}.
 */
public record CollectorChoice(Set<String> only, Set<String> enable, Set<String> disable) {
  /** Every collector on by default. */
  public static final CollectorChoice DEFAULTS = new CollectorChoice(Set.of(), Set.of(), Set.of());

  public CollectorChoice {
    only = Set.copyOf(only);
    enable = Set.copyOf(enable);
    disable = Set.copyOf(disable);
  }

  public static CollectorChoice only(Set<String> names) {
    return new CollectorChoice(names, Set.of(), Set.of());
  }
}
