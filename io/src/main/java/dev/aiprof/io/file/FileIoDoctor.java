package dev.aiprof.io.file;

import dev.aiprof.bpf.BpfException;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.fileio.FileIoConfig;
import dev.aiprof.bpf.fileio.FileIoOp;
import dev.aiprof.bpf.fileio.FileIoProbe;
import java.util.stream.Collectors;

/**
 * What {@code aiprof doctor} says about file I/O: whether the probe loads and attaches here, which
 * syscalls it traces, and whether page-cache misses and major faults are seen. Loads and closes the
 * probe. Stateless.
 */
public final class FileIoDoctor {
  /** One doctor line. */
  public record Line(String item, boolean ok, String detail) {}

  private FileIoDoctor() {}

  /** The fileio line for this host. */
  public static Line line(Features features) {
    try (FileIoProbe p = FileIoProbe.load(features, FileIoConfig.defaults(), null)) {
      String ops =
          p.traced().stream().map(FileIoOp::syscall).sorted().collect(Collectors.joining(","));
      return new Line(
          "fileio probe",
          true,
          "loads: "
              + ops
              + (p.pageCache() ? "; page-cache misses" : "; no page-cache tracepoint: no misses")
              + (p.majorFaults()
                  ? "; major faults (perf event)"
                  : "; no major faults: " + p.majorFaultsMissing()));
    } catch (BpfException e) {
      return new Line("fileio probe", false, "cannot trace file reads: " + e.getMessage());
    }
  }
}
