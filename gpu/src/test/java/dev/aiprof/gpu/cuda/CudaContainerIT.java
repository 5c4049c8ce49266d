package dev.aiprof.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.bpf.phase.LibraryId;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.CudaFixtures;
import dev.aiprof.testing.CudaProgram;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's view: in its own mount namespace the program maps a copy of the driver library on a
 * tmpfs mounted over the library's directory, so the path in its maps names a file the host's path
 * does not reach. The collector attaches to that copy through /proc/PID/root and counts its calls.
 */
@Requires(
    root = true,
    tools = {"gcc", "unshare"},
    files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class CudaContainerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Test
  void aDriverOnlyTheProcesssMountNamespaceSeesIsProbedThroughItsRoot(@TempDir Path tmp)
      throws Exception {
    Path lib = CudaFixtures.fakeDriver();
    Path exe = Files.copy(CudaFixtures.driverProgram(), tmp.resolve("cuda_driver_calls"));
    exe.toFile().setExecutable(true);
    Path copy = Files.copy(lib, tmp.resolve("libcuda.so.1"));
    String script = "mount -t tmpfs aiprof-test \"$2\" && cp \"$1\" \"$2/\" && exec \"$3\" 1";
    List<String> cmd =
        List.of(
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            script,
            "sh",
            copy.toString(),
            lib.getParent().toString(),
            exe.toString());
    long self = ProcessHandle.current().pid();
    try (TestPipeline agent =
            TestPipeline.start(
                Set.of("cuda"), Map.of("cuda.scan-interval", "10m"), PhaseListener.NONE);
        CgroupDir cg = CgroupDir.create("aiprof-test-" + self + "/cuda-container");
        CudaProgram p = CudaProgram.start(cmd, Map.of(), TIMEOUT)) {
      cg.add(p.pid());
      LibraryId inNamespace = LibraryId.of(Path.of("/proc/" + p.pid() + "/root" + lib));
      assertThat(inNamespace).isNotEqualTo(LibraryId.of(lib));
      CudaCollector c = agent.collector(CudaProvider.NAME, CudaCollector.class);
      c.scan();
      assertThat(c.probe().attached()).as("the namespace's copy").containsKey(inNamespace);
      p.run(TIMEOUT);
      Predicate<RecordingSink.Point> ours = x -> cg.id() == x.attributes().get(Identity.CGROUP_ID);
      List<RecordingSink.Point> m =
          CudaCollectorIT.awaitCalls(agent, c, ours, "cuLaunchKernel", 10);
      assertThat(CudaCollectorIT.value(m, CudaMetrics.CALLS, ours, "cuStreamSynchronize", null))
          .isEqualTo(2);
      assertThat(p.exit(TIMEOUT)).isZero();
    }
  }
}
