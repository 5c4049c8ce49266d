package dev.aiprof.bpf;

/**
 * A BPF operation failed. The message says what failed, in a short lowercase phrase, followed by
 * the errno; {@link #errno()} keeps the number for callers that branch on it.
 */
public class BpfException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int errno;

  public BpfException(String what, int errno) {
    super(errno == 0 ? what : what + ": " + Errno.describe(errno));
    this.errno = Math.abs(errno);
  }

  public BpfException(String what, int errno, Throwable cause) {
    this(what, errno);
    initCause(cause);
  }

  /** The positive errno, or 0 when the failure had none. */
  public int errno() {
    return errno;
  }
}
