package dev.aiprof.bpf.cuda;

/**
 * Which way a copy went; mirrors {@code enum cuda_dir} in cuda.h, whose values are the runtime's
 * {@code cudaMemcpyKind}.
 */
public enum CudaDir {
  /** Not a copy (and the runtime's host-to-host copies). */
  NONE("none"),
  HTOD("htod"),
  DTOH("dtoh"),
  DTOD("dtod"),
  /** Unified addressing: the driver infers the direction ({@code cuMemcpy}, cudaMemcpyDefault). */
  DEFAULT("default");

  private static final CudaDir[] BY_CODE = values();
  private final String label;

  CudaDir(String label) {
    this.label = label;
  }

  public int code() {
    return ordinal();
  }

  /** The value of the {@code aiprof.cuda.direction} attribute. */
  public String label() {
    return label;
  }

  /** The direction of a code; NONE for a code this version does not know. */
  public static CudaDir ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : NONE;
  }
}
