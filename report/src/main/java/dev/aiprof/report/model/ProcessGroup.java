package dev.aiprof.report.model;

import java.util.List;

/**
 * A process (its {@code service.name} and {@code process.pid}; pid 0 when the spans named none) and
 * its lanes, by index into {@link WindowModel#lanes()}. {@code gpu} when a phase of it had GPU
 * time: the page adds a GPU lane.
 */
public record ProcessGroup(int index, String service, long pid, List<Integer> lanes, boolean gpu) {}
