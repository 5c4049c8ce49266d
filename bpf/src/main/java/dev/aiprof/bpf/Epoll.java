package dev.aiprof.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One epoll instance with its own event buffer, for threads that wait on ring buffers. Adding and
 * removing descriptors is safe from any thread, also while another thread waits (the kernel allows
 * it); {@link #await} is for one thread at a time. {@link #close()} is idempotent and must not race
 * with {@link #await}.
 */
final class Epoll implements AutoCloseable {
  private static final int MAX_EVENTS = 16;

  private final String what;
  private final int ep;
  private final Arena scratch = Arena.ofShared();
  private final MemorySegment events;
  private final MemorySegment errno;
  private boolean closed;

  Epoll(String what) {
    this.what = what;
    this.ep = Syscalls.epollCreate(what);
    this.events = scratch.allocate(Syscalls.EPOLL_EVENT_SIZE * MAX_EVENTS, 8);
    this.errno = LibBpf.errnoSlot(scratch);
  }

  /** Watches {@code fd} for input; its ready events carry {@code data}. */
  void add(int fd, long data, String name) {
    Syscalls.epollAdd(ep, fd, data, name + " in " + what);
  }

  /** Stops watching {@code fd}; false when the kernel had dropped it already. */
  boolean remove(int fd, String name) {
    return Syscalls.epollDelete(ep, fd, name + " in " + what);
  }

  /** Waits up to {@code timeoutMillis}; returns how many descriptors are ready (0: none). */
  int await(int timeoutMillis) {
    return Syscalls.epollWait(ep, events, MAX_EVENTS, errno, timeoutMillis);
  }

  /** The data of the {@code i}-th ready event of the last {@link #await}. */
  long readyData(int i) {
    return events.get(
        ValueLayout.JAVA_LONG_UNALIGNED,
        i * Syscalls.EPOLL_EVENT_SIZE + Syscalls.EPOLL_DATA_OFFSET);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Fds.close(ep);
    scratch.close();
  }
}
