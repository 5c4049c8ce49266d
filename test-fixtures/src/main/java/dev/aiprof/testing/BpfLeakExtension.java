package dev.aiprof.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Implements {@link NoBpfLeaks} by comparing this process's BPF file descriptors. */
public final class BpfLeakExtension implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(BpfLeakExtension.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("before", bpfDescriptors());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    List<String> before = context.getStore(NS).get("before", List.class);
    List<String> after = bpfDescriptors();
    List<String> leaked = new ArrayList<>(after);
    leaked.removeAll(before);
    if (!leaked.isEmpty()) {
      throw new AssertionError("BPF objects left open by the test: " + leaked);
    }
  }

  /** "fd -> anon_inode:bpf-prog" lines for every BPF object this process holds. */
  public static List<String> bpfDescriptors() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(BpfLeakExtension::describe).filter(d -> d.contains("bpf")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc/self/fd", e);
    }
  }

  private static String describe(Path fd) {
    try {
      return fd.getFileName() + " -> " + Files.readSymbolicLink(fd);
    } catch (IOException e) {
      return fd.getFileName() + " -> (closed)";
    }
  }
}
