package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Consumer of a BPF ring buffer map through libbpf, with one FFM upcall per record (~25 ns). The
 * handler gets the record's address and size, and reads it in place (through layouts over {@code
 * Native.ALL}) without allocating; the memory is the ring's, valid only during the call.
 *
 * <p>Programs submit with {@code BPF_RB_NO_WAKEUP} until the ring fills past a threshold, so the
 * consumer is expected to call {@link #poll} in a loop with a timeout: each call sleeps until a
 * forced wake-up or the timeout, then drains everything available. Not thread-safe: one thread
 * polls and closes ({@link RingBufferPoller} does both).
 */
public final class RingBuffer implements AutoCloseable {
  /** Receives one record. Runs on the polling thread; must be quick, must not keep the address. */
  @FunctionalInterface
  public interface Handler {
    void onRecord(long address, int size);
  }

  private static final MethodHandle SAMPLE;

  static {
    try {
      SAMPLE =
          MethodHandles.lookup()
              .findVirtual(
                  RingBuffer.class,
                  "sample",
                  MethodType.methodType(int.class, MemorySegment.class, long.class, long.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Arena arena = Arena.ofShared();
  private final Handler handler;
  private final String name;
  private final MemorySegment rb;
  private long records;
  private long failed;
  private boolean closed;

  private RingBuffer(BpfMap map, Handler handler) {
    this.handler = handler;
    this.name = map.name();
    MemorySegment stub =
        Linker.nativeLinker()
            .upcallStub(
                SAMPLE.bindTo(this),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG),
                arena);
    try (Arena call = Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(call);
      MemorySegment r =
          (MemorySegment)
              LibBpf.RING_NEW.invokeExact(
                  errno, map.fd(), stub, MemorySegment.NULL, MemorySegment.NULL);
      if (Native.isNull(r)) {
        int e = LibBpf.errno(errno);
        arena.close();
        throw new BpfException("open ring buffer " + name, e);
      }
      this.rb = r;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public static RingBuffer open(BpfMap map, Handler handler) {
    return new RingBuffer(map, handler);
  }

  /**
   * Waits up to {@code timeoutMillis} for a wake-up, then consumes every record available. Returns
   * the number of records handed to the handler; interrupted waits return normally.
   */
  public int poll(int timeoutMillis) {
    checkOpen();
    try {
      int rc = (int) LibBpf.RING_POLL.invokeExact(rb, timeoutMillis);
      if (rc < 0 && rc != -Errno.EINTR) {
        throw new BpfException("poll ring buffer " + name, -rc);
      }
      return Math.max(rc, 0) + drain();
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Consumes every record available now, without waiting. */
  public int drain() {
    checkOpen();
    try {
      int rc = (int) LibBpf.RING_CONSUME.invokeExact(rb);
      if (rc < 0) {
        throw new BpfException("consume ring buffer " + name, -rc);
      }
      return rc;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Records handed to the handler so far. */
  public long records() {
    return records;
  }

  /** Records the handler could not take (it threw); they are counted and skipped. */
  public long failed() {
    return failed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      LibBpf.RING_FREE.invokeExact(rb);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    } finally {
      arena.close();
    }
  }

  // Called from C for each record: must never throw.
  private int sample(MemorySegment ctx, long data, long size) {
    records++;
    try {
      handler.onRecord(data, (int) size);
    } catch (Throwable t) {
      failed++;
    }
    return 0;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("ring buffer " + name + " is closed");
    }
  }
}
