package dev.aiprof.bpf;

import java.lang.foreign.MemorySegment;

/** Small helpers shared by the classes that call into libbpf. */
final class Native {
  /** The whole address space as one segment: decoders read records at absolute addresses. */
  static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

  private static volatile Throwable loadFailure;

  private Native() {}

  /**
   * Loads libbpf and links every handle, or throws {@link UnsupportedFeatureException} naming what
   * is missing. Safe to call many times: a failure is remembered and thrown again.
   */
  static void ensureLibBpf() {
    Throwable failure = loadFailure;
    if (failure == null) {
      try {
        LibBpf.version();
        return;
      } catch (ExceptionInInitializerError e) {
        failure = e.getCause() == null ? e : e.getCause();
      } catch (NoClassDefFoundError e) {
        failure = new UnsupportedFeatureException(Feature.LIBBPF, "libbpf failed to load earlier");
      }
      loadFailure = failure;
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    throw new UnsupportedFeatureException(Feature.LIBBPF, failure.toString());
  }

  /** Reads a NUL-terminated string at {@code ptr}, or null for a NULL pointer. */
  static String string(MemorySegment ptr) {
    if (ptr == null || ptr.equals(MemorySegment.NULL)) {
      return null;
    }
    return ptr.reinterpret(Long.MAX_VALUE).getString(0);
  }

  static boolean isNull(MemorySegment ptr) {
    return ptr == null || ptr.address() == 0;
  }

  /** Wraps what a downcall threw: downcalls into C do not throw checked exceptions. */
  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException re) {
      return re;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
