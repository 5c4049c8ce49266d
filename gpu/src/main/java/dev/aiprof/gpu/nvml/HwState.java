package dev.aiprof.gpu.nvml;

/**
 * A device's {@code hw.state}, as OpenTelemetry's hardware conventions name the values of {@code
 * hw.status}. The rule that picks one is {@link DeviceState#state()}.
 */
enum HwState {
  /** Sampled on time, with at least one reading in its latest rounds. */
  OK("ok"),
  /** Still answering, but late (a sample overran its interval) or with every reading failing. */
  DEGRADED("degraded"),
  /** Lost: NVML_ERROR_GPU_IS_LOST or XID 79; no longer sampled. */
  FAILED("failed");

  private final String id;

  HwState(String id) {
    this.id = id;
  }

  /** The value of the {@code hw.state} attribute. */
  String id() {
    return id;
  }
}
