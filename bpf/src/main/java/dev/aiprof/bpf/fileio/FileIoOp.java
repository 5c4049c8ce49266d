package dev.aiprof.bpf.fileio;

import java.util.Locale;

/** The syscall a read or write came through; mirrors {@code enum fileio_op} in fileio.h. */
public enum FileIoOp {
  READ(true),
  PREAD64(true),
  READV(true),
  PREADV(true),
  PREADV2(true),
  WRITE(false),
  PWRITE64(false),
  WRITEV(false),
  PWRITEV(false),
  PWRITEV2(false);

  private final boolean read;

  FileIoOp(boolean read) {
    this.read = read;
  }

  public int code() {
    return ordinal();
  }

  public boolean isRead() {
    return read;
  }

  /** The syscall's name, as its tracepoints spell it ({@code sys_enter_<name>}). */
  public String syscall() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The op of a code, or null for one this version does not know. */
  public static FileIoOp ofCode(int code) {
    FileIoOp[] all = values();
    return code >= 0 && code < all.length ? all[code] : null;
  }
}
