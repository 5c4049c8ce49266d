package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls the ring-buffer consumers make (mmap, epoll, eventfd), with errno capture. Thin:
 * each wrapper returns what libc returns, or throws {@link BpfException} naming the call and errno.
 */
final class Syscalls {
  static final int PROT_READ = 1;
  static final int PROT_WRITE = 2;
  static final int MAP_SHARED = 1;
  static final int EPOLL_CLOEXEC = 0x80000;
  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLL_CTL_DEL = 2;
  static final int EPOLLIN = 1;
  static final int EFD_CLOEXEC = 0x80000;
  static final int EFD_NONBLOCK = 0x800;

  /** struct epoll_event is packed (12 bytes) on x86-64, naturally aligned (16) elsewhere. */
  static final long EPOLL_EVENT_SIZE = System.getProperty("os.arch").equals("amd64") ? 12 : 16;

  static final long EPOLL_DATA_OFFSET = EPOLL_EVENT_SIZE == 12 ? 4 : 8;

  private static final Linker L = Linker.nativeLinker();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final MethodHandle MMAP =
      fn(
          "mmap",
          FunctionDescriptor.of(
              ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
  private static final MethodHandle MUNMAP =
      fn("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle EPOLL_CREATE1 =
      fn("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle EPOLL_CTL =
      fn("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
  private static final MethodHandle EPOLL_WAIT =
      fn("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  private static final MethodHandle EVENTFD =
      fn("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle WRITE =
      fn("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle READ =
      fn("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle PAGESIZE =
      L.downcallHandle(
          L.defaultLookup().find("getpagesize").orElseThrow(), FunctionDescriptor.of(JAVA_INT));

  private Syscalls() {}

  private static MethodHandle fn(String name, FunctionDescriptor fd) {
    return L.downcallHandle(L.defaultLookup().find(name).orElseThrow(), fd, ERRNO);
  }

  static int pageSize() {
    try {
      return (int) PAGESIZE.invokeExact();
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment mmap(long length, int prot, int fd, long offset, String what) {
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(arena);
      MemorySegment p =
          (MemorySegment)
              MMAP.invokeExact(errno, MemorySegment.NULL, length, prot, MAP_SHARED, fd, offset);
      if (p.address() == -1L) {
        throw new BpfException("mmap " + what, LibBpf.errno(errno));
      }
      return p.reinterpret(length);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static void munmap(MemorySegment m) {
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      int rc = (int) MUNMAP.invokeExact(LibBpf.errnoSlot(arena), m, m.byteSize());
      if (rc != 0) {
        throw new BpfException("munmap", 0);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** A new epoll instance (close-on-exec). */
  static int epollCreate(String what) {
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(arena);
      int ep = (int) EPOLL_CREATE1.invokeExact(errno, EPOLL_CLOEXEC);
      if (ep < 0) {
        throw new BpfException("epoll_create1 for " + what, LibBpf.errno(errno));
      }
      return ep;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Watches {@code fd} for input; ready events carry {@code data}. */
  static void epollAdd(int ep, int fd, long data, String what) {
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(arena);
      MemorySegment ev = arena.allocate(EPOLL_EVENT_SIZE, 4);
      ev.set(JAVA_INT, 0, EPOLLIN);
      ev.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, EPOLL_DATA_OFFSET, data);
      int rc = (int) EPOLL_CTL.invokeExact(errno, ep, EPOLL_CTL_ADD, fd, ev);
      if (rc < 0) {
        throw new BpfException("epoll_ctl add " + what, LibBpf.errno(errno));
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /**
   * Stops watching {@code fd}; false when epoll no longer had it (the descriptor was closed, and
   * the kernel dropped it when its file went away).
   */
  static boolean epollDelete(int ep, int fd, String what) {
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(arena);
      int rc = (int) EPOLL_CTL.invokeExact(errno, ep, EPOLL_CTL_DEL, fd, MemorySegment.NULL);
      if (rc < 0) {
        int e = LibBpf.errno(errno);
        if (e == Errno.ENOENT || e == Errno.EBADF) {
          return false;
        }
        throw new BpfException("epoll_ctl delete " + what, e);
      }
      return true;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /**
   * Waits up to {@code timeoutMillis} for up to {@code max} events; returns the number of ready
   * descriptors (0 on timeout or EINTR).
   */
  static int epollWait(
      int ep, MemorySegment events, int max, MemorySegment errno, int timeoutMillis) {
    try {
      int n = (int) EPOLL_WAIT.invokeExact(errno, ep, events, max, timeoutMillis);
      if (n < 0) {
        int e = LibBpf.errno(errno);
        if (e == Errno.EINTR) {
          return 0;
        }
        throw new BpfException("epoll_wait", e);
      }
      return n;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** A non-blocking, close-on-exec eventfd: how one thread wakes another's epoll_wait. */
  static int eventfd(String what) {
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(arena);
      int fd = (int) EVENTFD.invokeExact(errno, 0, EFD_CLOEXEC | EFD_NONBLOCK);
      if (fd < 0) {
        throw new BpfException("eventfd for " + what, LibBpf.errno(errno));
      }
      return fd;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Adds 1 to an eventfd's counter (it becomes readable). */
  static void eventfdSignal(int fd) {
    eventfdIo(WRITE, fd, 1);
  }

  /** Resets an eventfd's counter to 0 (no longer readable); harmless when it was 0. */
  static void eventfdClear(int fd) {
    eventfdIo(READ, fd, 0);
  }

  private static void eventfdIo(MethodHandle io, int fd, long value) {
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(arena);
      MemorySegment buf = arena.allocateFrom(JAVA_LONG, value);
      long n = (long) io.invokeExact(errno, fd, buf, 8L);
      if (n < 0 && LibBpf.errno(errno) != Errno.EAGAIN) {
        throw new BpfException("eventfd " + (io == WRITE ? "write" : "read"), LibBpf.errno(errno));
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
