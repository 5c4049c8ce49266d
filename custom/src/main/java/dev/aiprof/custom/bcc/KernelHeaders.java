package dev.aiprof.custom.bcc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether headers for the running kernel are installed, which BCC's runtime compiler needs to read
 * kernel structs: {@code /lib/modules/RELEASE/build} (or {@code source}) or {@code
 * /usr/src/linux-headers-RELEASE}, holding {@code include/linux/kconfig.h} (the configured tree BCC
 * includes) and {@code Makefile}. Headers of another release do not count: BCC would compile with
 * that release's struct offsets and read wrong data without a word. Pure apart from the file
 * checks; {@code root} is "/" on a host (a fixture tree in tests).
 */
public record KernelHeaders(String release, Optional<Path> directory, List<Path> looked) {
  public static KernelHeaders detect(Path root, String release) {
    List<Path> candidates =
        List.of(
            root.resolve("lib/modules").resolve(release).resolve("build"),
            root.resolve("lib/modules").resolve(release).resolve("source"),
            root.resolve("usr/src").resolve("linux-headers-" + release));
    for (Path p : candidates) {
      if (Files.isRegularFile(p.resolve("include/linux/kconfig.h"))
          && Files.isRegularFile(p.resolve("Makefile"))) {
        return new KernelHeaders(release, Optional.of(p), candidates);
      }
    }
    return new KernelHeaders(release, Optional.empty(), candidates);
  }

  /** This host's: the running kernel's release from {@code /proc/sys/kernel/osrelease}. */
  public static KernelHeaders ofHost() {
    String release;
    try {
      release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    } catch (IOException e) {
      release = System.getProperty("os.version");
    }
    return detect(Path.of("/"), release);
  }

  public boolean present() {
    return directory.isPresent();
  }

  /** One line for {@code aiprof doctor}: where they are, or what is missing and the fix. */
  public String describe() {
    return directory
        .map(d -> "kernel headers for " + release + " at " + d + ": BCC C programs can load")
        .orElse(
            "no headers for kernel "
                + release
                + " (looked in "
                + String.join(", ", looked.stream().map(Path::toString).toList())
                + "): BCC C programs refused; install the headers of the running kernel"
                + " (Debian: apt-get install linux-headers-"
                + release
                + ") or write the program as a bpftrace script (BTF, no headers)");
  }
}
