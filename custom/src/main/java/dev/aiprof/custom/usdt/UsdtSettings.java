package dev.aiprof.custom.usdt;

import dev.aiprof.api.settings.Setting;
import java.util.List;
import java.util.stream.Collectors;

/** The usdt collector's settings. */
public final class UsdtSettings {
  public static final Setting<List<UsdtTarget>> PROBES =
      Setting.of(
          "usdt.probes",
          UsdtTarget::parseList,
          v -> v.stream().map(UsdtTarget::toString).collect(Collectors.joining(",")),
          "BINARY:provider:name or pid=PID:provider:name, comma-separated (* matches any"
              + " provider or name)",
          List.of(),
          "USDT probes to count, per process: a binary's in every process that maps it, or a"
              + " process's own");

  static final List<Setting<?>> ALL = List.of(PROBES);

  private UsdtSettings() {}
}
