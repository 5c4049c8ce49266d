package dev.aiprof.host;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One kind of series (disks, interfaces, file systems): which are excluded by a rule, and the cap
 * on how many are reported. Those past the cap are dropped (counted in {@link #lastOver}, the first
 * drop logged once by the caller). Not thread-safe: used by the reading thread only.
 */
final class Bounded {
  final String kind;
  private final Pattern exclude;
  private final int max;
  private int lastOver;

  /**
   * @param exclude names matching it (in full) are left out; null: none
   * @param max the most reported per reading
   */
  Bounded(String kind, Pattern exclude, int max) {
    this.kind = kind;
    this.exclude = exclude;
    this.max = max;
  }

  boolean excluded(String name) {
    return exclude != null && exclude.matcher(name).matches();
  }

  /** The items not excluded by name, the first {@code max} of them; counts the ones cut. */
  <T> List<T> keep(List<T> items, Function<T, String> name) {
    List<T> out = new ArrayList<>(Math.min(items.size(), max));
    int over = 0;
    for (T t : items) {
      if (excluded(name.apply(t))) {
        continue;
      }
      if (out.size() < max) {
        out.add(t);
      } else {
        over++;
      }
    }
    lastOver = over;
    return out;
  }

  /** How many the last {@link #keep} cut at the cap. */
  int lastOver() {
    return lastOver;
  }
}
