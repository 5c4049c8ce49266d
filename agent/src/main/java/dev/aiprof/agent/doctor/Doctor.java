package dev.aiprof.agent.doctor;

import dev.aiprof.agent.identity.Capabilities;
import dev.aiprof.agent.identity.CgroupMounts;
import dev.aiprof.api.HostPaths;
import dev.aiprof.bpf.Feature;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.UnsupportedFeatureException;
import dev.aiprof.bpf.sched.SchedProbe;
import dev.aiprof.custom.bcc.KernelHeaders;
import dev.aiprof.gpu.cuda.CudaDoctor;
import dev.aiprof.io.block.BlockIoDoctor;
import dev.aiprof.io.file.FileIoDoctor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Works out what this host supports, one {@link Check} per item: kernel, privileges, libbpf, each
 * BPF feature (probed), tracefs, cgroup layout, the scheduler probe's variant, NVML, sandboxed
 * workloads (what of them is observable), bpftrace, BCC.
 */
public final class Doctor {
  private final HostPaths paths;

  private Optional<Path> nvmlLibrary = Optional.empty();

  public Doctor(HostPaths paths) {
    this.paths = paths;
  }

  /** The NVML library to read GPUs through (--nvml-library); default libnvidia-ml.so.1. */
  public Doctor nvmlLibrary(Optional<Path> file) {
    this.nvmlLibrary = file;
    return this;
  }

  public List<Check> run(Features f) {
    List<Check> checks = new ArrayList<>();
    checks.add(
        Check.of(
            "kernel",
            true,
            read(paths.proc("sys", "kernel", "osrelease")) + " " + System.getProperty("os.arch"),
            false));
    Set<Capabilities.Cap> caps = Capabilities.effective(paths.proc("self", "status"));
    checks.addAll(PrivilegeChecks.of(caps));
    for (Feature feature : Feature.values()) {
      Features.Result r = f.result(feature);
      checks.add(
          Check.of(
              label(feature),
              r.supported(),
              PrivilegeChecks.refusal(r.detail(), caps),
              required(feature)));
    }
    checks.add(PrivilegeChecks.tracefs(paths));
    CgroupMounts m = CgroupMounts.read(paths.proc("self", "mountinfo"));
    checks.add(
        Check.of(
            "cgroups",
            !m.layout().equals("none"),
            m.layout()
                + m.v2().map(p -> ", v2 at " + p).orElse("")
                + m.v1Memory().map(p -> ", v1 memory at " + p).orElse(""),
            true));
    checks.add(schedProbe(f));
    checks.addAll(GpuChecks.of(nvmlLibrary));
    CudaDoctor.lines(paths, f)
        .forEach(l -> checks.add(Check.of(l.item(), l.ok(), l.detail(), false)));
    BlockIoDoctor.Line blockio = BlockIoDoctor.probe(f);
    checks.add(Check.of(blockio.item(), blockio.ok(), blockio.detail(), false));
    FileIoDoctor.Line fileio = FileIoDoctor.line(f);
    checks.add(Check.of(fileio.item(), fileio.ok(), fileio.detail(), false));
    checks.addAll(SandboxChecks.of(paths));
    checks.add(tool("bpftrace"));
    checks.add(library("bcc", "libbcc.so.0", "BCC not installed: BCC programs off"));
    KernelHeaders headers = KernelHeaders.ofHost();
    checks.add(Check.of("bcc headers", headers.present(), headers.describe(), false));
    return checks;
  }

  /** The checks as {@code aiprof doctor} prints them, one line each. */
  public static String lines(List<Check> checks) {
    StringBuilder b = new StringBuilder();
    for (Check c : checks) {
      b.append(
          String.format(Locale.ROOT, "%-14s %-4s %s%n", c.item(), c.status().label(), c.detail()));
    }
    return b.toString();
  }

  /** The host section of a report: the lines, or why they could not be worked out here. */
  public String text(Supplier<Features> features) {
    try {
      return lines(run(features.get()));
    } catch (RuntimeException | LinkageError e) {
      return "aiprof doctor could not run here: " + e.getMessage() + "\n";
    }
  }

  /** Whether every required check passed. */
  public static boolean canRun(List<Check> checks) {
    return checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL);
  }

  private static Check schedProbe(Features f) {
    try {
      return Check.of(
          "sched probe", true, SchedProbe.chooseVariant(f).name().toLowerCase() + " variant", true);
    } catch (UnsupportedFeatureException e) {
      return Check.of("sched probe", false, e.getMessage(), true);
    }
  }

  private static boolean required(Feature f) {
    return f == Feature.LIBBPF || f == Feature.BTF || f == Feature.RINGBUF;
  }

  private static String label(Feature f) {
    return f.name().toLowerCase().replace('_', ' ');
  }

  private static Check library(String item, String name, String absent) {
    try (Arena a = Arena.ofConfined()) {
      SymbolLookup.libraryLookup(name, a);
      return Check.of(item, true, name, false);
    } catch (IllegalArgumentException e) {
      return Check.of(item, false, absent, false);
    }
  }

  private static Check tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Check.of(name, true, p.toString(), false);
      }
    }
    return Check.of(name, false, name + " not on PATH: user bpftrace programs off", false);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
