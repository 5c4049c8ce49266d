package dev.aiprof.gpu.cuda;

import dev.aiprof.bpf.cuda.CudaApi;
import dev.aiprof.bpf.phase.LibraryId;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A CUDA library mapped by a process: the file's identity, the path the process mapped it under (in
 * its own mount namespace) and which API it is. Parsed from one line of {@code /proc/PID/maps}: the
 * driver is {@code libcuda.so[.N...]}; a runtime is {@code libcudart.so[.N...]} or a wheel's hashed
 * copy {@code libcudart-<hash>.so[.N...]} (the system's, {@code nvidia/cuda_runtime/lib}'s, a
 * bundled one alike).
 */
public record CudaLibrary(LibraryId id, String path, CudaApi api) {
  private static final Pattern DRIVER = Pattern.compile("libcuda\\.so(\\.\\d+)*");
  private static final Pattern RUNTIME =
      Pattern.compile("libcudart(-[0-9a-f]{8,})?\\.so(\\.\\d+)*");

  /**
   * The library a maps line names, if it is a CUDA library: {@code start-end perms offset
   * major:minor inode path}. Deleted files and anonymous mappings are not.
   */
  public static Optional<CudaLibrary> parse(String line) {
    if (!line.contains("libcuda") || line.endsWith(" (deleted)")) {
      return Optional.empty();
    }
    String[] f = line.trim().split("\\s+", 6);
    if (f.length < 6 || !f[5].startsWith("/")) {
      return Optional.empty();
    }
    Optional<CudaApi> api = apiOf(f[5]);
    String[] dev = f[3].split(":");
    if (api.isEmpty() || dev.length != 2) {
      return Optional.empty();
    }
    try {
      long inode = Long.parseLong(f[4]);
      if (inode == 0) {
        return Optional.empty();
      }
      LibraryId id =
          new LibraryId(Integer.parseInt(dev[0], 16), Integer.parseInt(dev[1], 16), inode);
      return Optional.of(new CudaLibrary(id, f[5], api.get()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Which API a library file name is, if a CUDA one. */
  static Optional<CudaApi> apiOf(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (DRIVER.matcher(name).matches()) {
      return Optional.of(CudaApi.DRIVER);
    }
    if (RUNTIME.matcher(name).matches()) {
      return Optional.of(CudaApi.RUNTIME);
    }
    return Optional.empty();
  }
}
