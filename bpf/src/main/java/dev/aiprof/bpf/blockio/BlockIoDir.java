package dev.aiprof.bpf.blockio;

import java.util.Locale;

/**
 * What a block request does; mirrors {@code enum blockio_dir} in blockio.h. Labels are the values
 * of the OpenTelemetry {@code disk.io.direction} attribute where it has one (read, write).
 */
public enum BlockIoDir {
  READ,
  WRITE,
  FLUSH,
  /** Discard, secure erase and write-zeroes requests. */
  DISCARD,
  /** Zone management and driver-private requests. */
  OTHER;

  public int code() {
    return ordinal();
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The direction of a code, or {@link #OTHER} for one this version does not know. */
  public static BlockIoDir ofCode(int code) {
    BlockIoDir[] all = values();
    return code >= 0 && code < all.length ? all[code] : OTHER;
  }
}
