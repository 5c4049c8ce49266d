package dev.aiprof.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How a workload generator marks its phases: through libaiprof.so (the marker library the agent
 * catches with uprobes), through OTLP spans sent to an endpoint (the agent's receiver), or both.
 */
public interface PhaseMarks extends AutoCloseable {
  void begin(String name);

  void end();

  @Override
  default void close() {}

  /** Calls {@code aiprof_phase_begin/end} of the library at {@code lib} through FFM. */
  static PhaseMarks marker(Path lib) {
    Linker l = Linker.nativeLinker();
    SymbolLookup s = SymbolLookup.libraryLookup(lib, Arena.global());
    MethodHandle begin =
        l.downcallHandle(
            s.find("aiprof_phase_begin").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
    MethodHandle end =
        l.downcallHandle(s.find("aiprof_phase_end").orElseThrow(), FunctionDescriptor.ofVoid());
    return new PhaseMarks() {
      @Override
      public void begin(String name) {
        try (Arena a = Arena.ofConfined()) {
          begin.invokeExact(a.allocateFrom(name));
        } catch (Throwable t) {
          throw new IllegalStateException(t);
        }
      }

      @Override
      public void end() {
        try {
          end.invokeExact();
        } catch (Throwable t) {
          throw new IllegalStateException(t);
        }
      }
    };
  }

  /**
   * One span per phase, exported in batches (every 100 ms, off the marking thread) over OTLP/HTTP
   * to {@code endpoint} (e.g. http://127.0.0.1:4318/v1/traces), with resource {@code process.pid}
   * and span attribute {@code thread.id} (the OS thread id) so the agent can place it.
   */
  static PhaseMarks otlp(String endpoint, String service) {
    return otlp(endpoint, service, null);
  }

  /**
   * As {@link #otlp(String, String)}, and when {@code ids} is not null each span, once ended, is
   * also printed there (off the marking thread) as {@code span NAME TRACE_ID SPAN_ID PARENT_ID|-
   * START END} (epoch ns).
   */
  static PhaseMarks otlp(String endpoint, String service, java.io.PrintStream ids) {
    var builder =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.builder()
                                .put("service.name", service)
                                .put("process.pid", ProcessHandle.current().pid())
                                .build())))
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build())
                    .setScheduleDelay(java.time.Duration.ofMillis(100))
                    .build());
    if (ids != null) {
      builder.addSpanProcessor(
          BatchSpanProcessor.builder(new SpanIdsPrinter(ids))
              .setScheduleDelay(java.time.Duration.ofMillis(100))
              .build());
    }
    SdkTracerProvider provider = builder.build();
    Tracer tracer = provider.get("dev.aiprof.testing");
    ThreadLocal<Deque<Span>> open = ThreadLocal.withInitial(ArrayDeque::new);
    return new PhaseMarks() {
      @Override
      public void begin(String name) {
        Span parent = open.get().peek();
        var b =
            tracer
                .spanBuilder(name)
                .setAttribute(AttributeKey.longKey("thread.id"), (long) Libc.gettid());
        if (parent != null) {
          b.setParent(io.opentelemetry.context.Context.root().with(parent));
        }
        open.get().push(b.startSpan());
      }

      @Override
      public void end() {
        open.get().pop().end();
      }

      @Override
      public void close() {
        provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
        provider.close();
      }
    };
  }

  /** Marks with every one of {@code marks}, in order (ends in reverse). */
  static PhaseMarks all(PhaseMarks... marks) {
    return new PhaseMarks() {
      @Override
      public void begin(String name) {
        for (PhaseMarks m : marks) {
          m.begin(name);
        }
      }

      @Override
      public void end() {
        for (int i = marks.length - 1; i >= 0; i--) {
          marks[i].end();
        }
      }

      @Override
      public void close() {
        for (PhaseMarks m : marks) {
          m.close();
        }
      }
    };
  }
}
