package dev.aiprof.collectors.phase;

import dev.aiprof.api.phase.PhaseSignal;
import java.util.List;

/** Implemented by collectors whose data can describe phases. */
public interface SignalProvider {
  List<PhaseSignal> signals();
}
