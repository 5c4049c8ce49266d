package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls the ring-buffer consumer makes (mmap, epoll), with errno capture. Thin: each
 * wrapper returns what libc returns, or throws {@link BpfException} naming the call and errno.
 */
final class Syscalls {
  static final int PROT_READ = 1;
  static final int PROT_WRITE = 2;
  static final int MAP_SHARED = 1;
  static final int EPOLL_CLOEXEC = 0x80000;
  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLLIN = 1;

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

  /** An epoll instance watching {@code fd} for input. */
  static int epollFor(int fd, String what) {
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(arena);
      int ep = (int) EPOLL_CREATE1.invokeExact(errno, EPOLL_CLOEXEC);
      if (ep < 0) {
        throw new BpfException("epoll_create1 for " + what, LibBpf.errno(errno));
      }
      MemorySegment ev = arena.allocate(EPOLL_EVENT_SIZE, 4);
      ev.set(JAVA_INT, 0, EPOLLIN);
      int rc = (int) EPOLL_CTL.invokeExact(errno, ep, EPOLL_CTL_ADD, fd, ev);
      if (rc < 0) {
        int e = LibBpf.errno(errno);
        Fds.close(ep);
        throw new BpfException("epoll_ctl for " + what, e);
      }
      return ep;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /**
   * Waits up to {@code timeoutMillis}; returns the number of ready descriptors (0 on timeout or
   * EINTR).
   */
  static int epollWait(int ep, MemorySegment events, MemorySegment errno, int timeoutMillis) {
    try {
      int n = (int) EPOLL_WAIT.invokeExact(errno, ep, events, 1, timeoutMillis);
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
}
