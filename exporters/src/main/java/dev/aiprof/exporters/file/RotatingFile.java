package dev.aiprof.exporters.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Appends whole lines to {@code <prefix>-<UTC time>-<n>.jsonl} files in a directory, starting a new
 * file when the current one would pass {@code maxFileBytes}. The {@code writers} that share the
 * directory (one per signal) each own an equal share of {@code maxTotalBytes}: on every new file a
 * writer deletes its own oldest files (this prefix, earlier runs included) so that they, with the
 * new file filled up, fit its share. A writer never touches another's files. A line is written
 * whole or not at all: after a failed write (disk full) the file is cut back to its last complete
 * line, the error is counted and logged once until a write succeeds again, and the caller goes on.
 *
 * <p>Thread-safe (writes are serialized).
 */
public final class RotatingFile implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RotatingFile.class.getName());
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final String prefix;
  private final long maxFileBytes;
  private final long maxTotalBytes;

  /** The most bytes handed to the channel at once. */
  static final int SLICE = 64 * 1024;

  private static final byte[] NEWLINE = {'\n'};

  private final int writers;
  private final Supplier<Instant> clock;
  private FileChannel channel;
  private Path current;
  private long size;
  private int sequence;
  private boolean failing;
  private long errors;
  private long deleted;
  private long written;
  private boolean closed;

  /**
   * @param writers how many writers (signals) share {@code dir}: each may fill one current file
   */
  public RotatingFile(Path dir, String prefix, long maxFileBytes, long maxTotalBytes, int writers) {
    this(dir, prefix, maxFileBytes, maxTotalBytes, writers, Instant::now);
  }

  RotatingFile(
      Path dir,
      String prefix,
      long maxFileBytes,
      long maxTotalBytes,
      int writers,
      Supplier<Instant> clock) {
    if (maxFileBytes < 1 || writers < 1 || maxTotalBytes < maxFileBytes * writers) {
      throw new IllegalArgumentException(
          "output size cap "
              + maxTotalBytes
              + " must hold at least "
              + writers
              + " files of "
              + maxFileBytes
              + " bytes");
    }
    this.writers = writers;
    this.dir = dir;
    this.prefix = prefix;
    this.maxFileBytes = maxFileBytes;
    this.maxTotalBytes = maxTotalBytes;
    this.clock = clock;
  }

  /** Appends {@code line} (without its newline, which is added); false when it could not. */
  public boolean write(byte[] line) {
    return write(List.of(ByteBuffer.wrap(line)));
  }

  /**
   * Appends one line given in parts (without its newline, which is added); false when it could not.
   * Handed to the channel in slices of at most {@value #SLICE} bytes: the JDK copies a heap buffer
   * into a temporary direct buffer of its size and keeps that per thread, so one write of a whole
   * multi-megabyte line would keep that much native memory for good.
   */
  public synchronized boolean write(List<ByteBuffer> line) {
    if (closed) {
      return false;
    }
    long length = 0;
    for (ByteBuffer b : line) {
      length += b.remaining();
    }
    try {
      if (channel == null || (size > 0 && size + length + 1 > maxFileBytes)) {
        rotate();
      }
      try {
        for (ByteBuffer b : line) {
          writeAll(b);
        }
        writeAll(ByteBuffer.wrap(NEWLINE));
      } catch (IOException e) {
        channel.truncate(size); // drop the partial line
        throw e;
      }
      size += length + 1;
      written += length + 1;
      failing = false;
      return true;
    } catch (IOException | RuntimeException e) {
      errors++;
      if (!failing) {
        failing = true;
        LOG.log(
            System.Logger.Level.WARNING,
            "cannot write "
                + (current == null ? dir : current)
                + ": "
                + e
                + " (dropping lines until it works again; free space or set"
                + " aiprof.exporter.file.directory)");
      }
      return false;
    }
  }

  private void writeAll(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ByteBuffer slice = b.slice(b.position(), Math.min(SLICE, b.remaining()));
      while (slice.hasRemaining()) {
        channel.write(slice);
      }
      b.position(b.position() + slice.capacity());
    }
  }

  private void rotate() throws IOException {
    closeChannel();
    Files.createDirectories(dir);
    Path next;
    do {
      next = dir.resolve(prefix + "-" + STAMP.format(clock.get()) + "-" + (++sequence) + ".jsonl");
    } while (Files.exists(next));
    channel = FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    current = next;
    size = 0;
    enforceCap();
  }

  /** Deletes the oldest output files (not the current one) until the directory fits the cap. */
  private void enforceCap() throws IOException {
    List<Path> files = outputFiles(dir, prefix);
    long total = 0;
    for (Path f : files) {
      total += sizeOf(f);
    }
    long share = maxTotalBytes / writers;
    for (Path f : files) {
      if (total <= share - maxFileBytes) {
        return; // room for the current file to fill up
      }
      if (!f.equals(current)) {
        total -= sizeOf(f);
        if (Files.deleteIfExists(f)) {
          deleted++;
        }
      }
    }
  }

  /** The output files of {@code prefix} ("traces", "metrics") in {@code dir}, oldest first. */
  public static List<Path> outputFiles(Path dir, String prefix) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, prefix + "-*.jsonl")) {
      s.forEach(out::add);
    }
    out.sort(Comparator.comparing(RotatingFile::modified).thenComparing(Path::toString));
    return out;
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // the data is written; nothing to do
      }
      channel = null;
    }
  }

  public synchronized Path current() {
    return current;
  }

  public synchronized long errors() {
    return errors;
  }

  public synchronized long deleted() {
    return deleted;
  }

  public synchronized long written() {
    return written;
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeChannel();
  }
}
