package dev.aiprof.api.collector;

/**
 * What a collector is to the pipeline; a collector may have any combination. A provider declares
 * its roles, and the collector takes them up through its {@link CollectorContext} at start: a role
 * taken up without being declared fails the collector's start.
 */
public enum Role {
  /** Reports phases ({@link CollectorContext#phases()}): marker, OTLP, JFR. */
  PHASE_SOURCE,
  /** Describes phases ({@link CollectorContext#signal}): the scheduler timeline, GPU samples. */
  PHASE_SIGNAL,
  /** Reports metrics on every collection ({@link CollectorContext#metrics}). */
  METRIC_SOURCE,
  /** Records the processes the follow service follows ({@link CollectorContext#follower}). */
  PROCESS_FOLLOWER,
  /** Contributes a part of reports ({@link CollectorContext#report}). */
  REPORT_SECTION,
  /** Reports stack samples ({@link CollectorContext#stacks()}). */
  STACK_SOURCE;

  public String label() {
    return name().toLowerCase().replace('_', ' ');
  }
}
