package dev.aiprof.custom.bcc;

import java.nio.file.Path;
import java.util.List;

/**
 * One USDT probe of a binary, as BCC discovers it from the binary's {@code .note.stapsdt} notes.
 *
 * @param provider the provider ({@code DTRACE_PROBE(provider, name)})
 * @param name the probe's name
 * @param binary the file that holds it
 * @param semaphoreOffset file offset of its semaphore (a {@code u16} the code tests before firing
 *     the probe), or 0 when it has none; a uprobe attached with it as {@code ref_ctr_offset} makes
 *     the kernel raise it in every process that maps the file
 * @param locations the probe's sites, as the uprobe offsets to attach at (one probe may be written
 *     at several places)
 * @param arguments how many arguments it passes
 */
public record UsdtProbe(
    String provider,
    String name,
    Path binary,
    long semaphoreOffset,
    List<Long> locations,
    int arguments) {
  public UsdtProbe {
    locations = List.copyOf(locations);
  }

  /** "provider:name", as bpftrace's {@code usdt:BINARY:provider:name} writes it. */
  public String id() {
    return provider + ":" + name;
  }
}
