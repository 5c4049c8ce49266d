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
    this(feature, detail, 0);
  }

  /** With the errno of the refused operation, which the message ends with. */
  public UnsupportedFeatureException(Feature feature, String detail, int errno) {
    super(feature.description() + " is not available: " + detail, errno);
    this.feature = feature;
  }

  /**
   * The kernel refused {@code what} (an attach, a load) and a probe of {@code feature} finds this
   * host without it: names the feature, the kernel it needs, the operation and its errno.
   */
  public static UnsupportedFeatureException refused(Feature feature, String what, int errno) {
    String needs =
        feature.minimumKernel() == null
            ? ""
            : " ("
                + feature.description()
                + " need Linux "
                + feature.minimumKernel()
                + " or newer)";
    return new UnsupportedFeatureException(
        feature, "this kernel refused to " + what + needs, errno);
  }

  public Feature feature() {
    return feature;
  }
}
