package dev.aiprof.custom.bcc;

import java.util.List;

/**
 * Loads BCC C programs only where the running kernel's headers are present ({@link KernelHeaders});
 * elsewhere refuses with {@link BccRefusedException}, naming the cause and the fix, before BCC's
 * compiler is asked (with no headers it fails; with another kernel's it compiles and reads wrong
 * struct offsets). Thread-safe.
 */
public final class BccPrograms {
  private final Bcc bcc;
  private final KernelHeaders headers;

  public BccPrograms(Bcc bcc, KernelHeaders headers) {
    this.bcc = bcc;
    this.headers = headers;
  }

  /** A compiled program; close frees BCC's module (idempotent). */
  public final class Module implements AutoCloseable {
    private long handle;

    private Module(long handle) {
      this.handle = handle;
    }

    @Override
    public synchronized void close() {
      if (handle != 0) {
        bcc.destroy(handle);
        handle = 0;
      }
    }
  }

  /**
   * Compiles {@code source} with BCC against the running kernel's headers.
   *
   * @throws BccRefusedException where the headers are absent
   * @throws BccException when BCC cannot compile it
   */
  public Module load(String source) {
    if (!headers.present()) {
      throw new BccRefusedException(
          "cannot load a BCC C program: BCC compiles it at run time against the running kernel's"
              + " headers, and there are "
              + headers.describe());
    }
    return new Module(bcc.compile(source, List.of()));
  }
}
