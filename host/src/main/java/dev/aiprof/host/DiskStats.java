package dev.aiprof.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of {@code /proc/diskstats}: per block device, cumulative since boot. Sectors are 512
 * bytes whatever the device's own sector size (the kernel's unit for this file). Immutable.
 */
public record DiskStats(List<Disk> disks) {
  private static final int SECTOR = 512;

  /**
   * One device.
   *
   * @param readMs, writeMs the time reads and writes took, summed over requests (fields 7, 11; the
   *     kernel prints them as 32-bit unsigned: they wrap at 2^32 ms, {@link HostReader} unwraps)
   * @param ioMs the time the device had requests in flight (field 13, 32-bit too)
   */
  public record Disk(
      String name,
      long reads,
      long readsMerged,
      long readBytes,
      long readMs,
      long writes,
      long writesMerged,
      long writeBytes,
      long writeMs,
      long ioMs) {}

  /** Parses the text of {@code /proc/diskstats}; short or malformed lines are skipped. */
  public static DiskStats parse(String text) {
    List<Disk> disks = new ArrayList<>();
    int at = 0;
    int n = text.length();
    while (at < n) {
      int end = text.indexOf('\n', at);
      if (end < 0) {
        end = n;
      }
      Disk d = line(text, at, end);
      if (d != null) {
        disks.add(d);
      }
      at = end + 1;
    }
    return new DiskStats(List.copyOf(disks));
  }

  private static Disk line(String text, int from, int end) {
    Fields f = new Fields(text, from, end);
    if (f.next() < 0 || f.next() < 0) {
      return null;
    }
    String name = f.word();
    long[] v = new long[10];
    for (int i = 0; i < v.length; i++) {
      v[i] = f.next();
      if (v[i] < 0) {
        return null;
      }
    }
    return new Disk(name, v[0], v[1], v[2] * SECTOR, v[3], v[4], v[5], v[6] * SECTOR, v[7], v[9]);
  }
}
