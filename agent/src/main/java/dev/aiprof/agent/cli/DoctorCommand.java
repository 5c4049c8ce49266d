package dev.aiprof.agent.cli;

import dev.aiprof.agent.doctor.Check;
import dev.aiprof.agent.doctor.Doctor;
import dev.aiprof.api.HostPaths;
import dev.aiprof.bpf.FeatureProber;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code aiprof doctor}: what this host supports, one line per item. */
@Command(
    mixinStandardHelpOptions = true,
    name = "doctor",
    description = "Print what this host supports; exit 1 when aiprof cannot run here.")
final class DoctorCommand implements Callable<Integer> {
  @Mixin HostOptions host;

  @Override
  public Integer call() {
    HostPaths paths = host.paths();
    List<Check> checks =
        new Doctor(paths)
            .nvmlLibrary(Optional.ofNullable(host.nvmlLibrary))
            .run(new FeatureProber(host.btf()).probe());
    System.out.print(Doctor.lines(checks));
    boolean ok = Doctor.canRun(checks);
    System.out.println(
        ok
            ? "aiprof can run on this host."
            : "aiprof cannot run on this host: fix the FAIL lines above.");
    return ok ? 0 : 1;
  }
}
