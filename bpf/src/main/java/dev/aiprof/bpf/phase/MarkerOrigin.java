package dev.aiprof.bpf.phase;

/**
 * Which API a marker call came through, carried as the uprobe's attach cookie; mirrors {@code enum
 * phase_origin} in phase.h.
 */
public enum MarkerOrigin {
  /** {@code aiprof_phase_begin} / {@code aiprof_phase_end}. */
  MARKER("aiprof_phase_begin", "aiprof_phase_end"),
  /** NVTX range push/pop, routed by libaiprof.so's NVTX injection. */
  NVTX("aiprof_nvtx_push", "aiprof_nvtx_pop");

  private static final MarkerOrigin[] BY_CODE = values();
  private final String beginSymbol;
  private final String endSymbol;

  MarkerOrigin(String beginSymbol, String endSymbol) {
    this.beginSymbol = beginSymbol;
    this.endSymbol = endSymbol;
  }

  /** The value in phase.h, and the cookie of this origin's uprobes. */
  public int code() {
    return ordinal();
  }

  /** The libaiprof.so function whose call begins a phase of this origin. */
  public String beginSymbol() {
    return beginSymbol;
  }

  /** The libaiprof.so function whose call ends one. */
  public String endSymbol() {
    return endSymbol;
  }

  /** The origin of a code, or null for a code this version does not know. */
  public static MarkerOrigin ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
