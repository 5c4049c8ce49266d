package dev.aiprof.report.model;

/**
 * One thread of a process in the timeline: the phases of one {@code thread.id}, or (tid 0) the
 * process's spans that name no thread.
 *
 * @param index position in {@link WindowModel#lanes()}
 * @param depth nesting levels of its phases (at least 1)
 */
public record Lane(int index, int process, long tid, String name, int depth) {}
