package dev.aiprof.gpu.nvml;

/**
 * NVML's return codes ({@code nvmlReturn_t}). The list is kept once, in {@code
 * test-fixtures/fake-nvml/src/nvml_returns.def}: the fake library is generated from it and {@code
 * NvmlReturnTest} checks this enum against it.
 */
public enum NvmlReturn {
  SUCCESS(0),
  ERROR_UNINITIALIZED(1),
  ERROR_INVALID_ARGUMENT(2),
  ERROR_NOT_SUPPORTED(3),
  ERROR_NO_PERMISSION(4),
  ERROR_ALREADY_INITIALIZED(5),
  ERROR_NOT_FOUND(6),
  ERROR_INSUFFICIENT_SIZE(7),
  ERROR_INSUFFICIENT_POWER(8),
  ERROR_DRIVER_NOT_LOADED(9),
  ERROR_TIMEOUT(10),
  ERROR_IRQ_ISSUE(11),
  ERROR_LIBRARY_NOT_FOUND(12),
  ERROR_FUNCTION_NOT_FOUND(13),
  ERROR_CORRUPTED_INFOROM(14),
  ERROR_GPU_IS_LOST(15),
  ERROR_RESET_REQUIRED(16),
  ERROR_OPERATING_SYSTEM(17),
  ERROR_LIB_RM_VERSION_MISMATCH(18),
  ERROR_IN_USE(19),
  ERROR_MEMORY(20),
  ERROR_NO_DATA(21),
  ERROR_VGPU_ECC_NOT_SUPPORTED(22),
  ERROR_INSUFFICIENT_RESOURCES(23),
  ERROR_FREQ_NOT_SUPPORTED(24),
  ERROR_ARGUMENT_VERSION_MISMATCH(25),
  ERROR_DEPRECATED(26),
  ERROR_NOT_READY(27),
  ERROR_GPU_NOT_FOUND(28),
  ERROR_INVALID_STATE(29),
  ERROR_UNKNOWN(999);

  private final int code;

  NvmlReturn(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The constant of {@code code}; {@link #ERROR_UNKNOWN} for a code this list does not know. */
  public static NvmlReturn of(int code) {
    for (NvmlReturn r : values()) {
      if (r.code == code) {
        return r;
      }
    }
    return ERROR_UNKNOWN;
  }

  /** Whether the reading cannot work on this device or driver (never worth asking again). */
  public boolean unsupported() {
    return this == ERROR_NOT_SUPPORTED || this == ERROR_FUNCTION_NOT_FOUND;
  }

  /** Whether the device is gone until a reset (GPU_IS_LOST, RESET_REQUIRED). */
  public boolean lost() {
    return this == ERROR_GPU_IS_LOST || this == ERROR_RESET_REQUIRED;
  }

  /** The name as NVML's header spells it: NVML_ERROR_GPU_IS_LOST. */
  public String symbol() {
    return "NVML_" + name();
  }
}
