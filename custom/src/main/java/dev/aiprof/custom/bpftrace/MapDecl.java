package dev.aiprof.custom.bpftrace;

import java.util.List;

/**
 * One map a script assigns, as the script's text declares it: {@code @name[key, ...] = fn(...)}.
 *
 * @param name the map's name without the {@code @} ("" for the anonymous map {@code @})
 * @param keys the key expressions as written ({@code pid}, {@code cgroup}, {@code comm}...)
 * @param function the aggregation ({@code count}, {@code hist}...), {@code ++}/{@code +=} as
 *     "count"/"sum", or "" for a plain assignment
 */
public record MapDecl(String name, List<String> keys, String function) {
  public MapDecl {
    keys = List.copyOf(keys);
  }

  /** How the map's values are exported. */
  public MapKind kind() {
    return MapKind.of(function);
  }
}
