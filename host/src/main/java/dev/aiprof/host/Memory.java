package dev.aiprof.host;

/**
 * What {@code /proc/meminfo} says about memory and swap, in bytes. Immutable.
 *
 * @param available MemAvailable, or -1 on kernels without it (before 3.14)
 */
public record Memory(
    long total,
    long free,
    long available,
    long buffers,
    long cached,
    long shared,
    long slabReclaimable,
    long slabUnreclaimable,
    long swapTotal,
    long swapFree) {

  /**
   * Used memory as OpenTelemetry defines it: MemTotal − MemAvailable; where MemAvailable is absent,
   * total − free − buffers − cached.
   */
  public long used() {
    long u = available >= 0 ? total - available : total - free - buffers - cached;
    return Math.max(0, u);
  }

  /** Parses the text of {@code /proc/meminfo} (values in kB); absent keys are 0. */
  public static Memory parse(String text) {
    long total = 0, free = 0, available = -1, buffers = 0, cached = 0, shared = 0;
    long sreclaim = 0, sunreclaim = 0, swapTotal = 0, swapFree = 0;
    int at = 0;
    int n = text.length();
    while (at < n) {
      int end = text.indexOf('\n', at);
      if (end < 0) {
        end = n;
      }
      int colon = text.indexOf(':', at);
      if (colon > at && colon < end) {
        long bytes = Fields.number(text, colon + 1, end) * 1024;
        switch (text.substring(at, colon)) {
          case "MemTotal" -> total = bytes;
          case "MemFree" -> free = bytes;
          case "MemAvailable" -> available = bytes;
          case "Buffers" -> buffers = bytes;
          case "Cached" -> cached = bytes;
          case "Shmem" -> shared = bytes;
          case "SReclaimable" -> sreclaim = bytes;
          case "SUnreclaim" -> sunreclaim = bytes;
          case "SwapTotal" -> swapTotal = bytes;
          case "SwapFree" -> swapFree = bytes;
          default -> {}
        }
      }
      at = end + 1;
    }
    return new Memory(
        total, free, available, buffers, cached, shared, sreclaim, sunreclaim, swapTotal, swapFree);
  }
}
