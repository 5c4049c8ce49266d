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
 * The {@code io} injection: threads {@code inject-io-N} (4 by default) that, while the injected
 * phase runs, write 8 MiB blocks with O_DIRECT to a scratch file on the model's filesystem, keeping
 * the device's queue full: the phase's own fdatasync waits behind them. A window opens once every
 * writer has a write in flight. The scratch file (64 MiB) is deleted at close. Thread-safe.
 */
final class IoLoad implements Injector {
  private static final int BLOCK = 8 << 20;
  private static final long SPAN = 64L << 20; // the scratch file's size: 64 MiB, written around

  private final String phase;
  private final Path file;
  private final List<Thread> threads = new ArrayList<>();
  private final FileChannel channel;
  private final java.util.concurrent.atomic.AtomicLong issued =
      new java.util.concurrent.atomic.AtomicLong();
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
        issued.incrementAndGet();
        ch.write(buf.clear().limit(BLOCK), at);
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
    long before = issued.get();
    on = true;
    threads.forEach(LockSupport::unpark);
    // The phase goes on once every writer has a write in flight (at most 50 ms later), so that
    // the two overlap: the load is inside the phase, not beside it.
    long deadline = System.nanoTime() + 50_000_000L;
    while (issued.get() < before + threads.size() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
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
