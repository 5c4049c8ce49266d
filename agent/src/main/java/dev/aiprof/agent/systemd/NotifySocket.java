package dev.aiprof.agent.systemd;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * An AF_UNIX datagram socket connected to systemd's notification socket, through libc by FFM (the
 * JDK's DatagramChannel has no AF_UNIX). A path starting with '@' is in the abstract namespace.
 * {@link #send} is thread-safe (one sendto each); close is idempotent.
 */
final class NotifySocket implements AutoCloseable {
  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int MSG_NOSIGNAL = 0x4000;
  private static final int SUN_PATH = 108;

  private static final Linker L = Linker.nativeLinker();
  private static final StructLayout STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
  private static final MethodHandle SOCKET =
      fn("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle SENDTO =
      fn(
          "sendto",
          FunctionDescriptor.of(
              JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

  private final Arena arena = Arena.ofShared();
  private final MemorySegment address;
  private final int addressLength;
  private final String path;
  private int fd;

  private NotifySocket(String path) {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    if (p.length == 0 || p.length >= SUN_PATH) {
      throw new IllegalArgumentException("NOTIFY_SOCKET is empty or longer than 107 bytes");
    }
    if (p[0] == '@') {
      p[0] = 0; // abstract namespace: no terminating NUL counted
    }
    this.path = path;
    address = arena.allocate(2 + SUN_PATH);
    address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
    MemorySegment.copy(p, 0, address, ValueLayout.JAVA_BYTE, 2, p.length);
    addressLength = 2 + p.length + (p[0] == 0 ? 0 : 1);
    fd = call("socket", SOCKET, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  }

  /** The socket for {@code NOTIFY_SOCKET}'s value. */
  static NotifySocket open(String path) {
    return new NotifySocket(path);
  }

  /** Sends one datagram ("READY=1", "WATCHDOG=1"...); throws on failure, naming errno. */
  synchronized void send(String message) {
    if (fd < 0) {
      throw new IllegalStateException("notify socket closed");
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment msg = a.allocateFrom(message, StandardCharsets.UTF_8);
      MemorySegment state = a.allocate(STATE);
      long n =
          (long)
              SENDTO.invokeExact(
                  state, fd, msg, msg.byteSize() - 1, MSG_NOSIGNAL, address, addressLength);
      if (n < 0) {
        throw new IllegalStateException(
            "sendto " + path + " failed: errno " + (int) ERRNO.get(state, 0L));
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  public synchronized void close() {
    if (fd >= 0) {
      try {
        int unused = (int) CLOSE.invokeExact(arena.allocate(STATE), fd);
      } catch (Throwable t) {
        // nothing to do: the socket is ours and is not used again
      }
      fd = -1;
      arena.close();
    }
  }

  private static MethodHandle fn(String name, FunctionDescriptor fd) {
    return L.downcallHandle(L.defaultLookup().find(name).orElseThrow(), fd, CAPTURE);
  }

  private int call(String what, MethodHandle h, int a, int b, int c) {
    try (Arena a1 = Arena.ofConfined()) {
      MemorySegment state = a1.allocate(STATE);
      int rc = (int) h.invokeExact(state, a, b, c);
      if (rc < 0) {
        throw new IllegalStateException(what + " failed: errno " + (int) ERRNO.get(state, 0L));
      }
      return rc;
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
