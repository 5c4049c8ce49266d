package dev.aiprof.io.block;

import dev.aiprof.bpf.BpfException;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.blockio.BlockIoConfig;
import dev.aiprof.bpf.blockio.BlockIoProbe;
import java.util.Locale;

/**
 * The block I/O part of {@code aiprof doctor}: loads and attaches the probe for a moment (nothing
 * followed) and says which variant and hooks this kernel gets. Stateless; any thread.
 */
public final class BlockIoDoctor {
  /** One doctor line. */
  public record Line(String item, boolean ok, String detail) {}

  private BlockIoDoctor() {}

  public static Line probe(Features features) {
    try (BlockIoProbe p = BlockIoProbe.load(features, BlockIoConfig.defaults(), null)) {
      return new Line(
          "blockio probe",
          true,
          p.variant().name().toLowerCase(Locale.ROOT)
              + " variant on "
              + String.join(", ", p.attachedHooks().tracepoints()));
    } catch (BpfException e) {
      return new Line("blockio probe", false, "cannot probe block I/O: " + e.getMessage());
    } catch (RuntimeException e) {
      return new Line("blockio probe", false, "cannot probe block I/O: " + e);
    }
  }
}
