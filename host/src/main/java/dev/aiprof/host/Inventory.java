package dev.aiprof.host;

/**
 * What OSHI says about the host's processors, read once at start. Immutable.
 *
 * @param logical logical processors (OSHI: /proc/cpuinfo)
 * @param physical physical cores (distinct package and core ids)
 * @param packages sockets
 * @param model the processor's name, as /proc/cpuinfo gives it
 */
public record Inventory(int logical, int physical, int packages, String model) {}
