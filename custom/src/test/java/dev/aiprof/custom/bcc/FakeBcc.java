package dev.aiprof.custom.bcc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A hand-written {@link Bcc} for tests above the binding: records what it was asked to compile. */
final class FakeBcc implements Bcc {
  final List<String> compiled = new ArrayList<>();
  final List<Long> destroyed = new ArrayList<>();

  @Override
  public List<UsdtProbe> usdtProbes(Path binary) {
    return List.of(new UsdtProbe("p", "n", binary, 0, List.of(0x1000L), 0));
  }

  @Override
  public List<UsdtProbe> usdtProbes(int pid) {
    throw new BccException("fake: no process " + pid);
  }

  @Override
  public long compile(String source, List<String> cflags) {
    compiled.add(source);
    return 42;
  }

  @Override
  public void destroy(long module) {
    destroyed.add(module);
  }
}
