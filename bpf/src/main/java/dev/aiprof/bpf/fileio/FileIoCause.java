package dev.aiprof.bpf.fileio;

import java.util.Locale;

/**
 * Why a page entered the page cache, as the probe classifies it in the adding task; mirrors {@code
 * enum fileio_cause} in fileio.h.
 */
public enum FileIoCause {
  /** A read asked for it: a demand miss. */
  READ,
  /** A read brought it in beyond the range it asked for. */
  READAHEAD,
  /** A write created it (not a miss; counted apart). */
  WRITE,
  /** Outside a read or write: mapped-file faults, fadvise/madvise, exec. */
  OTHER;

  public int code() {
    return ordinal();
  }

  /** Whether a page added for this cause is a page-cache miss (all but writes). */
  public boolean miss() {
    return this != WRITE;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
