package dev.aiprof.bpf;

import java.util.EnumMap;
import java.util.Map;

/** What {@link FeatureProber} found on this host: one {@link Result} per {@link Feature}. */
public final class Features {
  /** Whether a feature works here, and what the probe saw (an errno description, a version). */
  public record Result(Feature feature, boolean supported, String detail) {}

  private final Map<Feature, Result> results;

  public Features(Map<Feature, Result> results) {
    this.results = new EnumMap<>(Feature.class);
    this.results.putAll(results);
  }

  public boolean has(Feature f) {
    Result r = results.get(f);
    return r != null && r.supported();
  }

  /** The probe's result, or an unsupported result saying it was not probed. */
  public Result result(Feature f) {
    return results.getOrDefault(f, new Result(f, false, "not probed"));
  }

  /** Throws {@link UnsupportedFeatureException} unless {@code f} is supported. */
  public void require(Feature f) {
    if (!has(f)) {
      throw new UnsupportedFeatureException(f, result(f).detail());
    }
  }

  public Map<Feature, Result> all() {
    return Map.copyOf(results);
  }
}
