package dev.aiprof.gpu.nvml;

/**
 * The readings a sample takes, each of which a device or driver may not support: one that fails
 * with NOT_SUPPORTED or FUNCTION_NOT_FOUND is not asked again of that device (counted, logged
 * once), the others go on.
 */
enum Reading {
  UTILIZATION("utilization"),
  MEMORY("memory"),
  POWER("power"),
  POWER_LIMIT("power_limit"),
  ENERGY("energy"),
  TEMPERATURE("temperature"),
  CLOCKS("clocks"),
  CLOCK_EVENTS("clock_event_reasons"),
  PCIE("pcie"),
  NVLINK("nvlink"),
  PROCESSES("processes"),
  PROCESS_UTILIZATION("process_utilization");

  private final String id;

  Reading(String id) {
    this.id = id;
  }

  /** The value of the {@code aiprof.gpu.reading} attribute. */
  String id() {
    return id;
  }
}
