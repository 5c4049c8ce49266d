package dev.aiprof.collectors.marker;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.bpf.Features;
import dev.aiprof.collectors.CollectorContext;
import java.time.Duration;
import java.util.Map;

/** Collector contexts for the marker tests: this host's features (probed once), real /proc. */
final class Contexts {
  private static Features features;

  private Contexts() {}

  static synchronized Features features() {
    if (features == null) {
      features = new FeatureProber().probe();
    }
    return features;
  }

  static CollectorContext of(PhaseListener phases, Map<String, String> settings) {
    return new CollectorContext(
        features(), HostPaths.defaults(), settings, Duration.ofSeconds(1), phases, new ClockSync());
  }
}
