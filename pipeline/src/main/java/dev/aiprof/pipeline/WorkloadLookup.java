package dev.aiprof.pipeline;

import io.opentelemetry.api.common.Attributes;

/** The workload's resource attributes for a process; never throws, empty when unknown. */
@FunctionalInterface
public interface WorkloadLookup {
  Attributes resource(int pid);
}
