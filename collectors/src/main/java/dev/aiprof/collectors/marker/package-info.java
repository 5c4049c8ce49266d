/**
 * The marker phase source: {@link dev.aiprof.collectors.marker.MarkerCollector} finds processes
 * that map libaiprof.so, attaches the phase probe's uprobes to each library file, pairs the
 * begin/end calls (markers and NVTX ranges) into phases per thread and reports them to the phase
 * listener. Parsing ({@code /proc/PID/maps} lines) and pairing are pure and unit-tested.
 */
package dev.aiprof.collectors.marker;
