package dev.aiprof.report.model;

/**
 * What reading the window saw and left out, shown in the report so that nothing is left out
 * silently.
 *
 * @param files trace files read
 * @param spans spans kept
 * @param filtered spans left out by {@code --service} or {@code --since}
 * @param overCap spans that matched but were past {@code maxSpans}
 * @param badLines lines that were not valid OTLP JSON
 */
public record ReadStats(
    int files, long spans, long filtered, long overCap, long badLines, int maxSpans) {}
