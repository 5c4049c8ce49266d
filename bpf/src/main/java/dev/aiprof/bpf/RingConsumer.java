package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The consumer half of one BPF ring buffer, in Java over the kernel's memory mapping of the ring
 * (as cilium/ebpf does): no call into C per record. Waiting for data is not its business: {@link
 * RingBuffer} pairs it with an epoll of its own, {@link RingPoller} shares one epoll among many.
 *
 * <p>Layout (kernel/bpf/ringbuf.c): page 0 holds the consumer position (ours to write); the next
 * page the producer position, followed by the data area mapped twice in a row so a record never
 * wraps. Each record has an 8-byte header: a 32-bit length with a busy bit (still being written:
 * stop) and a discard bit (skip), then the data, padded to 8 bytes. Positions are read with acquire
 * and the consumer position written with release semantics.
 *
 * <p>Not thread-safe: one thread at a time drains and closes (the owners serialize). {@link
 * #records()} and {@link #failed()} may be read from any thread; they are published once per drain.
 */
final class RingConsumer {
  private static final System.Logger LOG = System.getLogger(RingConsumer.class.getName());
  private static final int BUSY = 1 << 31;
  private static final int DISCARD = 1 << 30;
  private static final int HEADER = 8;
  private static final VarHandle LONG = JAVA_LONG.varHandle();
  private static final VarHandle INT = JAVA_INT.varHandle();

  private final RingBuffer.Handler handler;
  private final String name;
  private final int fd;
  private final MemorySegment consumer;
  private final MemorySegment producer;
  private final long data;
  private final long mask;
  private volatile long records;
  private volatile long failed;
  private boolean failureLogged;
  private boolean closed;

  /** Maps the ring of {@code map} (a BPF_MAP_TYPE_RINGBUF map of a loaded object). */
  RingConsumer(BpfMap map, RingBuffer.Handler handler) {
    this.handler = handler;
    this.name = map.name();
    long size = map.maxEntries();
    int page = Syscalls.pageSize();
    this.fd = map.fd();
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
  }

  String name() {
    return name;
  }

  /** The map's file descriptor, for an epoll to watch. */
  int fd() {
    return fd;
  }

  /** Consumes every record available now; returns how many went to the handler. */
  int drain() {
    checkOpen();
    int n = 0;
    int bad = 0;
    long cons = (long) LONG.getAcquire(consumer, 0L);
    boolean more = true;
    try {
      while (more) {
        more = false;
        long prod = (long) LONG.getAcquire(producer, 0L);
        while (cons < prod) {
          long header = data + (cons & mask);
          int len = (int) INT.getAcquire(Native.ALL, header);
          if ((len & BUSY) != 0) {
            return n; // still being written: the rest waits for it
          }
          more = true;
          int size = len & ~(BUSY | DISCARD);
          cons += (size + HEADER + 7) & ~7L;
          if ((len & DISCARD) == 0) {
            n++;
            if (!deliver(header + HEADER, size)) {
              bad++;
            }
          }
        }
        LONG.setRelease(consumer, 0L, cons);
      }
      return n;
    } finally {
      LONG.setRelease(consumer, 0L, cons);
      if (n > 0) {
        records += n; // one volatile write per drain, not per record
      }
      if (bad > 0) {
        failed += bad;
      }
    }
  }

  private boolean deliver(long address, int size) {
    try {
      handler.onRecord(address, size);
      return true;
    } catch (Throwable t) {
      if (!failureLogged) {
        failureLogged = true;
        LOG.log(
            System.Logger.Level.WARNING,
            "ring buffer " + name + ": handler failed (counted, logged once): " + t,
            t);
      }
      return false;
    }
  }

  /** Where programs will reserve the next record: every record below it is reserved. */
  long producerPosition() {
    checkOpen();
    return (long) LONG.getAcquire(producer, 0L);
  }

  /** Where the next record to consume is: every record below it has been handed on. */
  long consumerPosition() {
    checkOpen();
    return (long) LONG.getAcquire(consumer, 0L);
  }

  long records() {
    return records;
  }

  long failed() {
    return failed;
  }

  boolean closed() {
    return closed;
  }

  /** Unmaps the ring; idempotent. Records not drained stay in the kernel's ring. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    Syscalls.munmap(producer);
    Syscalls.munmap(consumer);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("ring buffer " + name + " is closed");
    }
  }
}
