package dev.aiprof.testing;

import java.nio.file.Path;

/**
 * Builds the block I/O fixture of {@code test-fixtures/src/main/c/blockio} with gcc at test time,
 * next to the CUDA fixtures (it shares their line protocol, {@code cuda/fixture.h}, and runs as a
 * {@link CudaProgram}). Thread-safe (serialized).
 */
public final class BlockIoFixtures {
  private BlockIoFixtures() {}

  /**
   * {@code blockio_direct DEVICE READS READ_BYTES WRITES WRITE_BYTES [exit]}: O_DIRECT writes and
   * reads in a marker phase, linked to {@code libaiprof} (the marker module's build of it); with
   * {@code exit}, the process exits right after that phase ends.
   */
  public static synchronized Path directProgram(Path libaiprof) {
    Path src = CudaFixtures.root().resolve("test-fixtures/src/main/c/blockio/blockio_direct.c");
    Path exe = CudaFixtures.out().resolve("blockio_direct");
    CudaFixtures.gcc(
        exe,
        "-O2",
        "-pthread",
        "-I" + CudaFixtures.sources(),
        "-I" + CudaFixtures.root().resolve("marker/include"),
        "-o",
        exe.toString(),
        src.toString(),
        "-L" + libaiprof.getParent(),
        "-laiprof",
        "-Wl,-rpath," + libaiprof.getParent());
    return exe;
  }
}
