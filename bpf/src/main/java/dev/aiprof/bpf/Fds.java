package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/** close(2) for descriptors libbpf hands out without owning them. */
final class Fds {
  private static final MethodHandle CLOSE =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("close").orElseThrow(),
              FunctionDescriptor.of(JAVA_INT, JAVA_INT));

  private Fds() {}

  static void close(int fd) {
    try {
      int rc = (int) CLOSE.invokeExact(fd);
      if (rc != 0) {
        throw new BpfException("close fd " + fd, 0);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
