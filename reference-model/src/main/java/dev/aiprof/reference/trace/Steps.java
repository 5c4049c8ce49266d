package dev.aiprof.reference.trace;

import dev.aiprof.reference.os.LinuxThreads;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * Opens a step of a request on the calling thread through both public phase mechanisms: a span
 * (child of the current context, with {@code thread.id} = the kernel thread id, so the agent's OTLP
 * receiver attributes the thread's scheduler time to it) and, when {@code marked}, a libaiprof.so
 * phase of the same name. Thread-safe; each {@link Step} belongs to the thread that opened it.
 */
public final class Steps {
  public static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
  public static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");

  private final Tracer tracer;
  private final Marker marker;

  public Steps(Tracer tracer, Marker marker) {
    this.tracer = tracer;
    this.marker = marker;
  }

  /** A span only, in the current context. */
  public Step span(String name, SpanKind kind) {
    return open(name, kind, Context.current(), false);
  }

  /** A span and a libaiprof.so phase, in the current context. */
  public Step marked(String name) {
    return open(name, SpanKind.INTERNAL, Context.current(), true);
  }

  /**
   * A span on the calling thread under {@code parent}, not made current: for a wait that another
   * thread ends (a request queued for a worker).
   */
  public Span detached(String name, Context parent) {
    return tracer
        .spanBuilder(name)
        .setParent(parent)
        .setAttribute(THREAD_ID, (long) LinuxThreads.tid())
        .setAttribute(THREAD_NAME, Thread.currentThread().getName())
        .startSpan();
  }

  /** A span (and a phase when {@code marked}) under {@code parent}, started now. */
  public Step open(String name, SpanKind kind, Context parent, boolean marked) {
    Span span =
        tracer
            .spanBuilder(name)
            .setParent(parent)
            .setSpanKind(kind)
            .setAttribute(THREAD_ID, (long) LinuxThreads.tid())
            .setAttribute(THREAD_NAME, Thread.currentThread().getName())
            .startSpan();
    Scope scope = span.makeCurrent();
    if (marked) {
      marker.begin(name);
    }
    return new Step(span, scope, marked ? marker : null);
  }

  /** One open step; closing ends the phase, then the span. */
  public static final class Step implements AutoCloseable {
    private final Span span;
    private final Scope scope;
    private final Marker marker;
    private final AutoCloseable inside;

    Step(Span span, Scope scope, Marker marker) {
      this(span, scope, marker, null);
    }

    private Step(Span span, Scope scope, Marker marker, AutoCloseable inside) {
      this.span = span;
      this.scope = scope;
      this.marker = marker;
      this.inside = inside;
    }

    /** This step, also closing {@code inside} first when it closes. */
    public Step with(AutoCloseable inside) {
      return new Step(span, scope, marker, inside);
    }

    public Span span() {
      return span;
    }

    @Override
    public void close() {
      if (inside != null) {
        try {
          inside.close();
        } catch (Exception e) {
          span.recordException(e);
        }
      }
      if (marker != null) {
        marker.end();
      }
      scope.close();
      span.end();
    }
  }
}
