package dev.aiprof.reference.serve;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code io} injection: threads {@code inject-io-N} that, while the injected phase runs, write
 * 1 MiB blocks with O_DIRECT to a scratch file on the model's filesystem and fdatasync after each,
 * keeping the disk and the journal busy. The scratch file is deleted at close. Thread-safe.
 */
final class IoLoad implements Injector {
  private static final int BLOCK = 1 << 20;
  private static final long SPAN = 64L << 20; // the scratch file's size: 64 MiB, written around

  private final String phase;
  private final Path file;
  private final List<Thread> threads = new ArrayList<>();
  private final FileChannel channel;
  private volatile boolean on;
  private volatile boolean stop;

  IoLoad(String phase, int count, Path file) throws IOException {
    this.phase = phase;
    this.file = file;
    Files.createDirectories(file.getParent());
    FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ,
            ExtendedOpenOption.DIRECT);
    this.channel = ch;
    int align = (int) Files.getFileStore(file).getBlockSize();
    for (int i = 0; i < count; i++) {
      threads.add(
          Thread.ofPlatform().name("inject-io-" + i).daemon().start(() -> write(ch, align)));
    }
  }

  private void write(FileChannel ch, int align) {
    ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK + align).alignedSlice(align);
    buf.limit(BLOCK);
    byte[] junk = new byte[BLOCK];
    ThreadLocalRandom.current().nextBytes(junk);
    buf.put(junk).flip();
    try {
      while (!stop) {
        if (!on) {
          LockSupport.park(this);
          continue;
        }
        long at = ThreadLocalRandom.current().nextLong(SPAN / BLOCK) * BLOCK;
        ch.write(buf.clear().limit(BLOCK), at);
        ch.force(false);
      }
    } catch (IOException e) {
      System.err.println(
          "inject io: " + e.getMessage() + " (O_DIRECT needs a disk-backed --model-dir)");
    }
  }

  @Override
  public Window during(String name) {
    if (!name.equals(phase)) {
      return Window.NONE;
    }
    on = true;
    threads.forEach(LockSupport::unpark);
    return () -> on = false;
  }

  @Override
  public void close() {
    stop = true;
    threads.forEach(LockSupport::unpark);
    try {
      for (Thread t : threads) {
        t.join(5_000);
      }
      channel.close();
      Files.deleteIfExists(file);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      System.err.println("inject io: cannot delete " + file + ": " + e.getMessage());
    }
  }
}
