package dev.aiprof.bpf;

/**
 * This host lacks something aiprof needs: a program or map type, a kernel facility, a library.
 * Distinct from {@link BpfLoadException}: nothing is wrong with the program, the host cannot run
 * it. The message names the feature and what to do about it.
 */
public final class UnsupportedFeatureException extends BpfException {
  private static final long serialVersionUID = 1L;
  private final Feature feature;

  public UnsupportedFeatureException(Feature feature, String detail) {
    super(feature.description() + " is not available: " + detail, 0);
    this.feature = feature;
  }

  public Feature feature() {
    return feature;
  }
}
