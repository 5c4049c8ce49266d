package dev.aiprof.pipeline;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseSignal;
import io.opentelemetry.api.common.AttributeKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a later signal (NVML samples): utilization samples at points in time; a phase gets
 * the mean of the samples inside it. Written only against the PhaseSignal interface, to prove a new
 * signal plugs in without touching the engine.
 */
final class FakeGpuSignal implements PhaseSignal {
  static final AttributeKey<Double> UTIL = AttributeKey.doubleKey("aiprof.gpu.utilization");

  private record Sample(long ns, double util) {}

  private final List<Sample> samples = new ArrayList<>();
  volatile long complete = Long.MIN_VALUE;

  void sample(long ns, double util) {
    samples.add(new Sample(ns, util));
    complete = ns;
  }

  @Override
  public String name() {
    return "fake-gpu";
  }

  @Override
  public boolean ready(Phase phase) {
    return complete >= phase.endNs();
  }

  @Override
  public Duration patience() {
    return Duration.ofSeconds(2);
  }

  @Override
  public void describe(Phase phase, PhaseDescription out) {
    double sum = 0;
    int n = 0;
    for (Sample s : samples) {
      if (s.ns() >= phase.startNs() && s.ns() < phase.endNs()) {
        sum += s.util();
        n++;
      }
    }
    if (n > 0) {
      out.attribute(UTIL, sum / n)
          .time(Category.GPU_BUSY, (long) (phase.durationNs() * sum / n / 100));
    }
  }
}
