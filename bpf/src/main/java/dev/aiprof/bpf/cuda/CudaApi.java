package dev.aiprof.bpf.cuda;

/** Which CUDA library a call belongs to. */
public enum CudaApi {
  /** The driver API, {@code libcuda.so.1}: the path every launch takes. */
  DRIVER("driver"),
  /** The runtime API, {@code libcudart.so.*}, where a process maps it as a shared library. */
  RUNTIME("runtime");

  private final String label;

  CudaApi(String label) {
    this.label = label;
  }

  /** The value of the {@code aiprof.cuda.api} attribute. */
  public String label() {
    return label;
  }
}
