package dev.aiprof.collectors.otlp;

import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.sandbox.SandboxDirectory;
import dev.aiprof.collectors.otlp.OtlpMetrics.Outcome;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.InetSocketAddress;

/**
 * What both receivers do with a decoded request: convert it, queue its phases, count, and say how
 * to answer. Runs on the receivers' threads; never blocks. Thread-safe.
 */
final class TraceIntake {
  /** Suggested wait before a sender retries a refused request. */
  static final int RETRY_AFTER_SECONDS = 1;

  /**
   * How to answer one request.
   *
   * @param outcome ACCEPTED, PARTIAL or QUEUE_FULL
   * @param response the OTLP response (with partial success when spans were rejected); null when
   *     the queue was full
   */
  record Result(Outcome outcome, ExportTraceServiceResponse response) {}

  private final ClockSync clock;
  private final PhaseQueue queue;
  private final OtlpCounters counters;
  private final SpanTrimmer trimmer;
  private final SandboxDirectory sandboxes;

  TraceIntake(ClockSync clock, PhaseQueue queue, OtlpCounters counters, SpanLimits limits) {
    this(clock, queue, counters, limits, null);
  }

  /**
   * @param sandboxes the host's sandboxes, for spans sent from inside one; null for none
   */
  TraceIntake(
      ClockSync clock,
      PhaseQueue queue,
      OtlpCounters counters,
      SpanLimits limits,
      SandboxDirectory sandboxes) {
    this.sandboxes = sandboxes;
    this.clock = clock;
    this.queue = queue;
    this.counters = counters;
    this.trimmer = new SpanTrimmer(limits, counters.limited);
  }

  Result accept(ExportTraceServiceRequest request, String transport) {
    return accept(request, transport, null, null);
  }

  /**
   * @param peer the sender's end of the connection the request came on, or null when unknown
   * @param local the receiver's end of it, or null
   */
  Result accept(
      ExportTraceServiceRequest request,
      String transport,
      InetSocketAddress peer,
      InetSocketAddress local) {
    SpanBatch batch = SpanBatch.of(request, clock, trimmer, sandboxes, peer, local);
    counters.rejectedInvalid.add(batch.invalid());
    if (!queue.offer(batch.phases())) {
      counters.rejectedFull.add(batch.phases().size());
      counters.request(transport, Outcome.QUEUE_FULL);
      return new Result(Outcome.QUEUE_FULL, null);
    }
    counters.received.add(batch.phases().size());
    counters.withoutPid.add(batch.withoutPid());
    counters.withoutThread.add(batch.withoutThread());
    counters.matched(batch);
    Outcome outcome = batch.invalid() == 0 ? Outcome.ACCEPTED : Outcome.PARTIAL;
    counters.request(transport, outcome);
    ExportTraceServiceResponse.Builder r = ExportTraceServiceResponse.newBuilder();
    if (batch.invalid() > 0) {
      r.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(batch.invalid())
              .setErrorMessage(batch.rejectionMessage()));
    }
    return new Result(outcome, r.build());
  }

  /** The message a refused sender gets. */
  static String queueFullMessage() {
    return "the aiprof agent's span queue is full (the phase consumer is behind): retry after "
        + RETRY_AFTER_SECONDS
        + "s, or raise otlp.queue-size";
  }
}
