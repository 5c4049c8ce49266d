package dev.aiprof.gpu.nvml;

/**
 * An NVML call that did not return {@code NVML_SUCCESS}: which function, the typed code, and NVML's
 * own text for it ({@code nvmlErrorString}). A function the loaded library does not export (an
 * older driver) is {@link NvmlReturn#ERROR_FUNCTION_NOT_FOUND}. Immutable; no stack trace (a lost
 * device throws on every sample).
 */
public final class NvmlException extends RuntimeException {
  private final String function;
  private final NvmlReturn code;

  public NvmlException(String function, NvmlReturn code, String text) {
    super(function + ": " + text + " (" + code.symbol() + ")", null, false, false);
    this.function = function;
    this.code = code;
  }

  public String function() {
    return function;
  }

  public NvmlReturn code() {
    return code;
  }
}
