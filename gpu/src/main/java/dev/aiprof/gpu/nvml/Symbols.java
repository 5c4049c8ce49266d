package dev.aiprof.gpu.nvml;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The functions of one loaded NVML library, each looked up on its first call and remembered,
 * present or not: a function an older driver lacks fails only the readings that need it.
 * Thread-safe.
 */
final class Symbols {
  private final NativeLibrary library;
  private final ConcurrentHashMap<String, Optional<Function>> cache = new ConcurrentHashMap<>();

  Symbols(NativeLibrary library) {
    this.library = library;
  }

  /** The function, or empty when the library does not export it. */
  Optional<Function> find(String name) {
    return cache.computeIfAbsent(name, this::lookup);
  }

  /** Whether the library exports {@code name}. */
  boolean has(String name) {
    return find(name).isPresent();
  }

  /** Where the library was loaded from. */
  String file() {
    return library.getFile() == null ? library.getName() : library.getFile().toString();
  }

  private Optional<Function> lookup(String name) {
    try {
      return Optional.of(library.getFunction(name));
    } catch (UnsatisfiedLinkError e) {
      return Optional.empty();
    }
  }
}
