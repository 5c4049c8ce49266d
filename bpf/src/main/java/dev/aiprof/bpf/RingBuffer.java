package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * Consumer of a BPF ring buffer, in Java over the kernel's memory mapping of the ring (as
 * cilium/ebpf does): no call into C per record, only one {@code epoll_wait} per drain. The handler
 * gets each record's address and size and reads it in place (through {@link RawMemory} or a view
 * such as SchedEventView), without allocating; the memory is the ring's, valid only during the
 * call.
 *
 * <p>Layout (kernel/bpf/ringbuf.c): page 0 holds the consumer position (ours to write); the next
 * page the producer position, followed by the data area mapped twice in a row so a record never
 * wraps. Each record has an 8-byte header: a 32-bit length with a busy bit (still being written:
 * stop) and a discard bit (skip), then the data, padded to 8 bytes. Positions are read with acquire
 * and the consumer position written with release semantics.
 *
 * <p>Programs submit with {@code BPF_RB_NO_WAKEUP} until the ring fills past a threshold, so the
 * consumer calls {@link #poll} in a loop with a timeout: it sleeps until a forced wake-up or the
 * timeout, then drains everything available. Not thread-safe: one thread polls and closes ({@link
 * RingBufferPoller} does both).
 */
public final class RingBuffer implements AutoCloseable {
  /** Receives one record. Runs on the polling thread; must be quick, must not keep the address. */
  @FunctionalInterface
  public interface Handler {
    void onRecord(long address, int size);
  }

  private static final int BUSY = 1 << 31;
  private static final int DISCARD = 1 << 30;
  private static final int HEADER = 8;
  private static final VarHandle LONG = JAVA_LONG.varHandle();
  private static final VarHandle INT = JAVA_INT.varHandle();

  private final Handler handler;
  private final String name;
  private final MemorySegment consumer;
  private final MemorySegment producer;
  private final long data;
  private final long mask;
  private final int epoll;
  private final Arena scratch = Arena.ofShared();
  private final MemorySegment events;
  private final MemorySegment errno;
  private long records;
  private long failed;
  private boolean closed;

  private RingBuffer(BpfMap map, Handler handler) {
    this.handler = handler;
    this.name = map.name();
    long size = map.maxEntries();
    int page = Syscalls.pageSize();
    int fd = map.fd();
    this.consumer =
        Syscalls.mmap(
            page, Syscalls.PROT_READ | Syscalls.PROT_WRITE, fd, 0, "consumer page of " + name);
    try {
      this.producer =
          Syscalls.mmap(page + 2 * size, Syscalls.PROT_READ, fd, page, "data of " + name);
    } catch (BpfException e) {
      Syscalls.munmap(consumer);
      throw e;
    }
    this.data = producer.address() + page;
    this.mask = size - 1;
    this.epoll = Syscalls.epollFor(fd, "ring buffer " + name);
    this.events = scratch.allocate(Syscalls.EPOLL_EVENT_SIZE, 8);
    this.errno = LibBpf.errnoSlot(scratch);
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
    Syscalls.epollWait(epoll, events, errno, timeoutMillis);
    return drain();
  }

  /** Consumes every record available now, without waiting. */
  public int drain() {
    checkOpen();
    int n = 0;
    long cons = (long) LONG.getAcquire(consumer, 0L);
    boolean more = true;
    while (more) {
      more = false;
      long prod = (long) LONG.getAcquire(producer, 0L);
      while (cons < prod) {
        long header = data + (cons & mask);
        int len = (int) INT.getAcquire(Native.ALL, header);
        if ((len & BUSY) != 0) {
          LONG.setRelease(consumer, 0L, cons); // still being written: the rest waits for it
          return n;
        }
        more = true;
        int size = len & ~(BUSY | DISCARD);
        cons += (size + HEADER + 7) & ~7L;
        if ((len & DISCARD) == 0) {
          deliver(header + HEADER, size);
          n++;
        }
      }
      LONG.setRelease(consumer, 0L, cons);
    }
    return n;
  }

  private void deliver(long address, int size) {
    records++;
    try {
      handler.onRecord(address, size);
    } catch (Throwable t) {
      failed++;
    }
  }

  /** Where programs will reserve the next record: every record below it is reserved. */
  public long producerPosition() {
    return (long) LONG.getAcquire(producer, 0L);
  }

  /** Where the next record to consume is: every record below it has been handed on. */
  public long consumerPosition() {
    return (long) LONG.getAcquire(consumer, 0L);
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
    Syscalls.munmap(producer);
    Syscalls.munmap(consumer);
    Fds.close(epoll);
    scratch.close();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("ring buffer " + name + " is closed");
    }
  }
}
