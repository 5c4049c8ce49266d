package dev.aiprof.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A loop device of a test's own, over a file in a folder the test owns, with direct I/O to the file
 * ({@code losetup --direct-io=on}): its requests, and its {@code /sys/block/loopN/stat}, are the
 * test's alone. Detached (and the file deleted) on close. Needs root and {@code losetup}.
 */
public final class LoopDevice implements AutoCloseable {
  /** The kernel's counters of a block device, from {@code /sys/block/NAME/stat}. */
  public record Stat(
      long reads, long readSectors, long writes, long writeSectors, long discards, long flushes) {
    /** Parses the one line of a stat file (Documentation/block/stat.rst). */
    public static Stat parse(String line) {
      String[] f = line.trim().split("\\s+");
      return new Stat(
          Long.parseLong(f[0]),
          Long.parseLong(f[2]),
          Long.parseLong(f[4]),
          Long.parseLong(f[6]),
          f.length > 11 ? Long.parseLong(f[11]) : 0,
          f.length > 15 ? Long.parseLong(f[15]) : 0);
    }

    public Stat minus(Stat before) {
      return new Stat(
          reads - before.reads,
          readSectors - before.readSectors,
          writes - before.writes,
          writeSectors - before.writeSectors,
          discards - before.discards,
          flushes - before.flushes);
    }
  }

  private final Path file;
  private final String name;

  private LoopDevice(Path file, String name) {
    this.file = file;
    this.name = name;
  }

  /** Makes a file of {@code bytes} in {@code dir} and attaches a free loop device to it. */
  public static LoopDevice create(Path dir, long bytes) throws IOException, InterruptedException {
    Path file = dir.resolve("aiprof-blockio-loop.img");
    try (var ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.allocate(1), bytes - 1); // sparse
    }
    String dev = run("losetup", "--find", "--show", "--direct-io=on", file.toString()).trim();
    return new LoopDevice(file, Path.of(dev).getFileName().toString());
  }

  /** e.g. "loop3". */
  public String name() {
    return name;
  }

  public Path path() {
    return Path.of("/dev", name);
  }

  /** The kernel's dev_t of the disk as BPF sees it: {@code major << 20 | minor}. */
  public int dev() throws IOException {
    String[] mm = Files.readString(Path.of("/sys/block", name, "dev")).trim().split(":");
    return Integer.parseInt(mm[0]) << 20 | Integer.parseInt(mm[1]);
  }

  public Stat stat() throws IOException {
    return Stat.parse(Files.readString(Path.of("/sys/block", name, "stat")));
  }

  /** Whether {@code losetup} says this device does direct I/O to its file. */
  public boolean directIo() throws IOException {
    Path dio = Path.of("/sys/block", name, "loop/dio");
    return Files.exists(dio) && Files.readString(dio).trim().equals("1");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      run("losetup", "-d", path().toString());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new UncheckedIOException(new IOException(String.join(" ", cmd) + " failed: " + out));
    }
    return out;
  }
}
