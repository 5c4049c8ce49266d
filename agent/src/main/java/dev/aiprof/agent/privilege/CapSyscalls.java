package dev.aiprof.agent.privilege;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * libc's capget, capset and prctl through FFM, on the calling thread (capabilities are per thread
 * in Linux). Thin: each returns what the kernel says or throws {@link IllegalStateException} with
 * the call and errno. Stateless and thread-safe.
 */
final class CapSyscalls {
  /** _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
  private static final int VERSION_3 = 0x20080522;

  static final int PR_CAPBSET_READ = 23;
  static final int PR_CAPBSET_DROP = 24;
  static final int PR_CAP_AMBIENT = 47;
  static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;

  private static final Linker L = Linker.nativeLinker();
  private static final StructLayout STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
  private static final MethodHandle CAPGET = fn("capget", 2);
  private static final MethodHandle CAPSET = fn("capset", 2);
  private static final MethodHandle PRCTL =
      L.downcallHandle(
          L.defaultLookup().find("prctl").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
          CAPTURE,
          Linker.Option.firstVariadicArg(1));

  /** The three sets of the calling thread, as 64-bit masks. */
  record Sets(long effective, long permitted, long inheritable) {}

  private CapSyscalls() {}

  private static MethodHandle fn(String name, int pointers) {
    return L.downcallHandle(
        L.defaultLookup().find(name).orElseThrow(),
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS),
        CAPTURE);
  }

  static Sets get() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment header = header(a);
      MemorySegment data = a.allocate(24);
      MemorySegment state = a.allocate(STATE);
      check("capget", (int) CAPGET.invokeExact(state, header, data), state);
      return new Sets(word(data, 0), word(data, 4), word(data, 8));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static void set(Sets s) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment header = header(a);
      MemorySegment data = a.allocate(24);
      long[] v = {s.effective(), s.permitted(), s.inheritable()};
      for (int i = 0; i < 3; i++) {
        data.set(ValueLayout.JAVA_INT, i * 4, (int) v[i]);
        data.set(ValueLayout.JAVA_INT, 12 + i * 4, (int) (v[i] >>> 32));
      }
      MemorySegment state = a.allocate(STATE);
      check("capset", (int) CAPSET.invokeExact(state, header, data), state);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** prctl(option, arg2, 0, 0, 0); the kernel's answer (never negative: failure throws). */
  static int prctl(int option, long arg2, long arg3) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(STATE);
      int rc = (int) PRCTL.invokeExact(state, option, arg2, arg3, 0L, 0L);
      check("prctl " + option, rc, state);
      return rc;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static MemorySegment header(Arena a) {
    MemorySegment h = a.allocate(8);
    h.set(ValueLayout.JAVA_INT, 0, VERSION_3);
    h.set(ValueLayout.JAVA_INT, 4, 0); // 0: the calling thread
    return h;
  }

  private static long word(MemorySegment data, int offset) {
    long low = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT, offset));
    long high = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT, 12 + offset));
    return low | (high << 32);
  }

  private static void check(String call, int rc, MemorySegment state) {
    if (rc < 0) {
      throw new IllegalStateException(call + " failed: errno " + (int) ERRNO.get(state, 0L));
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
