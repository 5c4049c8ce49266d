package dev.aiprof.agent.demo;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The built-in demo workload, run as child processes by {@code aiprof demo}:
 *
 * <ul>
 *   <li>{@code train DATAFILE}: a toy training loop. A {@code loader} thread reads batches from
 *       DATAFILE with O_DIRECT (uninterruptible I/O waits); {@code trainer-0..1} threads take
 *       batches from it and compute on each (CPU), then wait at a step barrier (sleep).
 *   <li>{@code noise}: two busy threads, a noisy neighbour that steals the trainers' CPU.
 * </ul>
 *
 * The train process marks its phases through libaiprof.so ({@code load} on the loader; {@code step}
 * containing {@code wait-batch}, {@code compute} and {@code barrier} on the trainers), so the
 * report breaks them down. Runs until stdin closes. Prints {@code ready} when started.
 */
public final class DemoWorkload {
  private static final int BATCH = 1 << 20;
  private static volatile boolean stop;

  private DemoWorkload() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("noise")) {
      for (int i = 0; i < 2; i++) {
        Thread.ofPlatform().name("noise-" + i).daemon().start(DemoWorkload::spin);
      }
    } else {
      Path data = Path.of(args[1]);
      SynchronousQueue<ByteBuffer> batches = new SynchronousQueue<>();
      Thread.ofPlatform().name("loader").daemon().start(() -> load(data, batches));
      for (int i = 0; i < 2; i++) {
        Thread.ofPlatform().name("trainer-" + i).daemon().start(() -> train(batches));
      }
    }
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // run until the parent closes our stdin
    }
    stop = true;
  }

  /** Writes a data file for the loader: {@code mb} MiB of pseudo-random bytes. */
  public static void writeData(Path file, int mb) throws IOException {
    byte[] chunk = new byte[BATCH];
    ThreadLocalRandom.current().nextBytes(chunk);
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int i = 0; i < mb; i++) {
        ch.write(ByteBuffer.wrap(chunk));
      }
      ch.force(true);
    }
  }

  private static final java.lang.foreign.MemorySegment LOAD = DemoPhases.name("load");
  private static final java.lang.foreign.MemorySegment STEP = DemoPhases.name("step");
  private static final java.lang.foreign.MemorySegment WAIT_BATCH = DemoPhases.name("wait-batch");
  private static final java.lang.foreign.MemorySegment COMPUTE = DemoPhases.name("compute");
  private static final java.lang.foreign.MemorySegment BARRIER = DemoPhases.name("barrier");

  private static void load(Path data, SynchronousQueue<ByteBuffer> out) {
    try (FileChannel ch =
        FileChannel.open(data, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
      int align = (int) Files.getFileStore(data).getBlockSize();
      long batches = ch.size() / BATCH;
      while (!stop) {
        ByteBuffer buf = ByteBuffer.allocateDirect(BATCH + align).alignedSlice(align);
        buf.limit(BATCH - BATCH % align);
        long at = ThreadLocalRandom.current().nextLong(batches) * BATCH;
        DemoPhases.begin(LOAD);
        ch.read(buf, at);
        DemoPhases.end();
        out.put(buf.flip());
      }
    } catch (IOException e) {
      System.err.println("demo loader: " + e.getMessage() + " (O_DIRECT needs a disk-backed file)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void train(SynchronousQueue<ByteBuffer> in) {
    long sum = 0;
    try {
      while (!stop) {
        DemoPhases.begin(STEP);
        DemoPhases.begin(WAIT_BATCH);
        ByteBuffer batch = in.take();
        DemoPhases.end();
        DemoPhases.begin(COMPUTE);
        long until = System.nanoTime() + 8_000_000;
        while (System.nanoTime() < until) {
          for (int i = 0; i < batch.limit(); i += 4096) {
            sum += batch.get(i);
          }
        }
        DemoPhases.end();
        DemoPhases.begin(BARRIER);
        LockSupport.parkNanos(3_000_000); // step barrier
        DemoPhases.end();
        DemoPhases.end();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sum == 42) {
      System.out.print("");
    }
  }

  private static void spin() {
    long x = 0;
    while (!stop) {
      x += System.nanoTime() & 1;
    }
    if (x == 42) {
      System.out.print("");
    }
  }
}
