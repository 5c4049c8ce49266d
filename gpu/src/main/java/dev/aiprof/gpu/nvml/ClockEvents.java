package dev.aiprof.gpu.nvml;

/** NVML's clock-event (throttle) reason bits, as the {@code aiprof.gpu.reason} values. */
enum ClockEvents {
  GPU_IDLE(0x1L, "gpu_idle"),
  APPLICATIONS_CLOCKS(0x2L, "applications_clocks_setting"),
  SW_POWER_CAP(0x4L, "sw_power_cap"),
  HW_SLOWDOWN(0x8L, "hw_slowdown"),
  SYNC_BOOST(0x10L, "sync_boost"),
  SW_THERMAL(0x20L, "sw_thermal_slowdown"),
  HW_THERMAL(0x40L, "hw_thermal_slowdown"),
  HW_POWER_BRAKE(0x80L, "hw_power_brake_slowdown"),
  DISPLAY_CLOCKS(0x100L, "display_clock_setting");

  final long bit;
  final String id;

  ClockEvents(long bit, String id) {
    this.bit = bit;
    this.id = id;
  }
}
