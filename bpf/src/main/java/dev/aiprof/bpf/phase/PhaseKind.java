package dev.aiprof.bpf.phase;

/** Which marker call an event records; mirrors {@code enum phase_kind} in phase.h. */
public enum PhaseKind {
  /** {@code aiprof_phase_begin} or an NVTX range push: the event carries the name. */
  BEGIN,
  /** {@code aiprof_phase_end} or an NVTX range pop. */
  END;

  private static final PhaseKind[] BY_CODE = values();

  /** The value in phase.h. */
  public int code() {
    return ordinal();
  }

  /** The kind of a code, or null for a code this version does not know. */
  public static PhaseKind ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
