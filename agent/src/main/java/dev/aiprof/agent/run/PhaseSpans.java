package dev.aiprof.agent.run;

import dev.aiprof.agent.correlation.PhaseMetrics;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.CorrelatedPhaseSink;
import dev.aiprof.api.phase.ForeignSpan;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.SpanIds;
import dev.aiprof.exporters.traces.SpanRecord;
import dev.aiprof.exporters.traces.TraceIds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Turns each correlated phase into a span and hands it on (to the exporters' bounded queue, which
 * never blocks). A phase the workload traced itself ({@link ForeignSpan}) keeps its trace, span and
 * parent ids, trace state, kind, status, name, times, attributes, events, links and scope; its
 * resource gets the workload attributes (the agent's win: they come from the kernel's view; only
 * its own {@code service.name} stays, which the agent merely guesses). Any other phase becomes a
 * span named after the phase, kind INTERNAL, with the source's {@link SpanIds} (random when it has
 * none), the workload attributes as resource (plus {@code service.name}), and {@code
 * aiprof.phase.origin}, {@code thread.id}, {@code process.pid}. Both get the signals' {@code
 * aiprof.*} attributes and their stalls as events (monotonic → epoch through the engine's {@link
 * ClockSync}).
 *
 * <p>Runs on the engine's thread; thread-safe; never throws.
 */
public final class PhaseSpans implements CorrelatedPhaseSink {
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final System.Logger LOG = System.getLogger(PhaseSpans.class.getName());

  private final Predicate<SpanData> out;
  private final ClockSync clock;
  private final InstrumentationScopeInfo scope;
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param out where spans go (false when it dropped one: counted there)
   * @param clock the clock the engine converts with
   * @param scope the scope of the spans the agent makes
   */
  public PhaseSpans(Predicate<SpanData> out, ClockSync clock, InstrumentationScopeInfo scope) {
    this.out = out;
    this.clock = clock;
    this.scope = scope;
  }

  @Override
  public void accept(CorrelatedPhase c) {
    try {
      out.test(span(c));
    } catch (RuntimeException e) {
      if (failures.getAndIncrement() == 0) {
        LOG.log(
            System.Logger.Level.WARNING,
            "cannot make a span of phase " + c.phase().name() + ": " + e);
      }
    }
  }

  /** Phases that could not be made into spans (malformed input). */
  public long failures() {
    return failures.get();
  }

  /** The span for a correlated phase. */
  public SpanRecord span(CorrelatedPhase c) {
    ForeignSpan f = c.phase().span();
    if (f != null) {
      SpanContext ctx = TraceIds.context(f.traceId(), f.spanId(), f.flags(), f.traceState());
      if (ctx.isValid()) {
        return forwarded(c, f, ctx);
      }
    }
    return own(c);
  }

  private SpanRecord forwarded(CorrelatedPhase c, ForeignSpan f, SpanContext ctx) {
    List<EventData> events = new ArrayList<>();
    for (ForeignSpan.Event e : f.events()) {
      events.add(EventData.create(e.epochNanos(), e.name(), e.attributes()));
    }
    events.addAll(stalls(c));
    List<LinkData> links = new ArrayList<>();
    for (ForeignSpan.Link l : f.links()) {
      links.add(
          LinkData.create(
              SpanContext.create(
                  l.traceId(), l.spanId(), TraceFlags.getDefault(), TraceState.getDefault()),
              l.attributes()));
    }
    InstrumentationScopeInfo s =
        InstrumentationScopeInfo.builder(f.scopeName() == null ? "" : f.scopeName())
            .setVersion(f.scopeVersion())
            .build();
    StatusCode code = f.status() == null ? StatusCode.UNSET : f.status();
    return new SpanRecord(
        f.name(),
        f.kind() == null ? SpanKind.INTERNAL : f.kind(),
        ctx,
        TraceIds.parent(f.traceId(), f.parentSpanId(), f.flags()),
        StatusData.create(code, f.statusMessage() == null ? "" : f.statusMessage()),
        f.startEpochNanos(),
        Math.max(f.startEpochNanos(), f.endEpochNanos()),
        merge(f.attributes(), c.attributes()),
        events,
        links,
        s,
        Resource.create(orEmpty(f.resource())).merge(Resource.create(found(f, c.workload()))));
  }

  /**
   * What the agent found about the workload, for a span the workload made itself. The agent's
   * identity wins (it is the kernel's view), except {@code service.name}: the agent only guesses
   * that one (executable, pod label), so a service that named itself keeps its name.
   */
  static Attributes found(ForeignSpan f, Attributes workload) {
    String own = f.resource() == null ? null : f.resource().get(SERVICE_NAME);
    if (own == null || own.isBlank() || own.startsWith("unknown_service")) {
      return workload;
    }
    return workload.toBuilder().remove(SERVICE_NAME).build();
  }

  private SpanRecord own(CorrelatedPhase c) {
    Phase p = c.phase();
    SpanIds ids = p.ids() != null ? p.ids() : SpanIds.root();
    TraceFlags sampled = TraceFlags.getSampled();
    SpanContext ctx =
        SpanContext.create(ids.traceId(), ids.spanId(), sampled, TraceState.getDefault());
    AttributesBuilder a =
        merge(p.attributes(), c.attributes()).toBuilder()
            .put(PhaseMetrics.ORIGIN, p.origin().label())
            .put(Identity.PID, (long) p.pid());
    if (p.tid() > 0) {
      a.put(Identity.TID, (long) p.tid());
    }
    return new SpanRecord(
        p.name(),
        SpanKind.INTERNAL,
        ctx,
        TraceIds.parent(ids.traceId(), ids.parentSpanId(), sampled.asByte()),
        StatusData.unset(),
        c.startEpochNanos(),
        Math.max(c.startEpochNanos(), c.endEpochNanos()),
        a.build(),
        stalls(c),
        List.of(),
        scope,
        Resource.create(withService(c.workload())));
  }

  private List<EventData> stalls(CorrelatedPhase c) {
    List<EventData> out = new ArrayList<>();
    for (PhaseDescription.Event e : c.events()) {
      out.add(EventData.create(clock.toEpochNanos(e.monoNs()), e.name(), e.attributes()));
    }
    return out;
  }

  /** {@code service.name} from the workload, else its executable's name. */
  static Attributes withService(Attributes workload) {
    if (workload.get(SERVICE_NAME) != null) {
      return workload;
    }
    String exe = workload.get(ProcessWorkloads.EXECUTABLE);
    return workload.toBuilder()
        .put(SERVICE_NAME, exe == null || exe.isBlank() ? "unknown_service" : exe)
        .build();
  }

  private static Attributes orEmpty(Attributes a) {
    return a == null ? Attributes.empty() : a;
  }

  private static Attributes merge(Attributes base, Attributes more) {
    AttributesBuilder b = orEmpty(base).toBuilder();
    b.putAll(more);
    return b.build();
  }
}
