package dev.aiprof.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.api.profile.StackSample;
import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportSink;
import dev.aiprof.api.report.ReportWriter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The composition: order by dependencies, roles as declared, failures isolated, close order. */
class PipelineTest {
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private static final MetricId COUNT = MetricId.counter("test.count", "count", "1");

  /** A provider whose collector runs {@code start} and records start and close. */
  private CollectorProvider provider(
      String name,
      Set<Role> roles,
      Set<String> requires,
      Set<String> uses,
      Consumer<CollectorContext> start) {
    return provider(name, roles, requires, uses, start, c -> {});
  }

  private CollectorProvider provider(
      String name,
      Set<Role> roles,
      Set<String> requires,
      Set<String> uses,
      Consumer<CollectorContext> start,
      Consumer<CollectorContext> close) {
    return new CollectorProvider() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public Set<Role> roles() {
        return roles;
      }

      @Override
      public Set<String> requires() {
        return requires;
      }

      @Override
      public Set<String> uses() {
        return uses;
      }

      @Override
      public Collector create() {
        return new Collector() {
          private CollectorContext context;

          @Override
          public void start(CollectorContext c) {
            events.add("start " + name);
            context = c;
            start.accept(c);
          }

          @Override
          public void close() {
            events.add("close " + name);
            close.accept(context);
          }
        };
      }
    };
  }

  private static final class Service {}

  private static Phase phase(String name) {
    return new Phase(name, PhaseOrigin.of("test"), 0, 0, 1, 2, 0, null, null);
  }

  private List<CollectorProvider> providers() {
    Service offered = new Service();
    return List.of(
        provider(
            "zsignal",
            Set.of(Role.PHASE_SIGNAL, Role.METRIC_SOURCE, Role.REPORT_SECTION),
            Set.of(),
            Set.of(),
            c -> {
              c.offer(Service.class, offered);
              c.signal(signal(events));
              c.metrics(s -> s.counter(COUNT, Attributes.empty(), 1));
              c.report(section(300, "z"));
            }),
        provider(
            "asource",
            Set.of(Role.PHASE_SOURCE, Role.REPORT_SECTION),
            Set.of("zsignal"),
            Set.of(),
            c -> {
              assertThat(c.dependency("zsignal", Service.class)).containsSame(offered);
              c.report(section(100, "a"));
              c.phases().onPhase(phase("p"));
            },
            c -> c.phases().onPhase(phase("last"))), // its last phase, sent as it closes
        provider("needs-missing", Set.of(), Set.of("missing"), Set.of(), c -> {}),
        provider(
            "throws",
            Set.of(Role.METRIC_SOURCE),
            Set.of(),
            Set.of(),
            c -> {
              throw new IllegalStateException("no device here: install the driver");
            }),
        provider(
            "liar", Set.of(Role.METRIC_SOURCE), Set.of(), Set.of(), c -> c.signal(signal(events))),
        provider("off", Set.of(), Set.of(), Set.of("asource"), c -> {}));
  }

  private static PhaseSignal signal(List<String> events) {
    return new PhaseSignal() {
      @Override
      public String name() {
        return "z";
      }

      @Override
      public boolean ready(Phase p) {
        return true;
      }

      @Override
      public void describe(Phase p, PhaseDescription d) {
        events.add("describe " + p.name());
        d.attribute(AttributeKey.stringKey("z"), "yes");
      }
    };
  }

  private static ReportSection section(int order, String id) {
    return new ReportSection() {
      @Override
      public int order() {
        return order;
      }

      @Override
      public void open(ReportScope scope) {}

      @Override
      public void render(ReportWriter out) {
        out.line(id);
      }
    };
  }

  @Test
  void startsByDependencyWiresRolesAndIsolatesFailures() {
    List<String> described = Collections.synchronizedList(new ArrayList<>());
    Pipeline p =
        Pipeline.builder(CollectorCatalog.of(providers()))
            .choose(new CollectorChoice(Set.of(), Set.of(), Set.of("off")))
            .sink(
                c ->
                    described.add(
                        c.phase().name() + " " + c.attributes().get(AttributeKey.stringKey("z"))))
            .start();
    assertThat(events).containsSubsequence("start zsignal", "start asource");
    assertThat(p.statuses())
        .extracting(CollectorStatus::describe)
        .containsExactlyInAnyOrder(
            "zsignal (running)",
            "asource (running)",
            "needs-missing (off: needs collector missing, which this agent does not have)",
            "throws (off: no device here: install the driver)",
            "liar (off: collector liar publishes a phase signal but does not declare the role"
                + " PHASE_SIGNAL)",
            "off (disabled)");
    assertThat(p.sections()).extracting(s -> render(s)).containsExactly("a", "z");

    Map<String, Double> success = new TreeMap<>();
    List<String> counted = new ArrayList<>();
    p.metrics()
        .collect(
            new MetricSink() {
              @Override
              public void counter(MetricId m, Attributes a, double v) {
                if (m.equals(COUNT)) {
                  counted.add("count=" + v);
                }
              }

              @Override
              public void gauge(MetricId m, Attributes a, double v) {
                if (m.equals(Pipeline.COLLECTOR_SUCCESS)) {
                  success.put(a.get(Pipeline.COLLECTOR), v);
                }
              }

              @Override
              public void histogram(MetricId m, Attributes a, Log2Histogram h, long s) {}
            });
    assertThat(counted).containsExactly("count=1.0");
    assertThat(success)
        .containsEntry("zsignal", 1.0)
        .containsEntry("asource", 1.0)
        .containsEntry("throws", 0.0)
        .containsEntry("needs-missing", 0.0)
        .containsEntry("liar", 0.0)
        .doesNotContainKey("off");
    assertThat(p.lastSeries()).containsEntry("zsignal", 1).containsEntry("asource", 0);

    p.close();
    assertThat(described).as("events %s", events).containsExactly("p yes", "last yes");
    assertThat(events)
        .as("the source closes before the engine's flush, the signal after it")
        .containsSubsequence("close asource", "describe last", "close zsignal");
    assertThat(events).contains("close throws").doesNotContain("close needs-missing");
  }

  @Test
  void stacksAndSectionsReachTheReports() {
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    CollectorProvider sampler =
        provider(
            "sampler",
            Set.of(Role.STACK_SOURCE, Role.REPORT_SECTION),
            Set.of(),
            Set.of(),
            c -> {
              c.report(section(100, "flame"));
              c.stacks()
                  .onStack(
                      new StackSample(
                          7, 8, 1, StackSample.Kind.ON_CPU, 10, new long[] {0x1234}, new long[0]));
            });
    ReportSink report =
        new ReportSink() {
          @Override
          public void accept(dev.aiprof.api.phase.CorrelatedPhase phase) {}

          @Override
          public void onStack(StackSample sample) {
            got.add("stack " + sample.tid() + " " + Long.toHexString(sample.userIps()[0]));
          }

          @Override
          public void finish(List<ReportSection> sections) {
            sections.forEach(x -> got.add("section " + render(x)));
          }
        };
    try (Pipeline p =
        Pipeline.builder(CollectorCatalog.of(List.of(sampler))).report(report).start()) {
      p.finish();
    }
    assertThat(got).containsExactly("stack 8 1234", "section flame");
  }

  @Test
  void aRequiredCollectorThatIsOffSkipsItsDependant() {
    Pipeline p = Pipeline.builder(CollectorCatalog.of(providers())).only(Set.of("asource")).start();
    assertThat(p.statuses())
        .filteredOn(s -> s.name().equals("asource"))
        .extracting(CollectorStatus::describe)
        .containsExactly("asource (off: needs collector zsignal, which is disabled)");
    p.close();
  }

  @Test
  void namesAreCheckedAndCyclesRefused() {
    CollectorCatalog c = CollectorCatalog.of(providers());
    assertThatThrownBy(() -> c.select(CollectorChoice.only(Set.of("gpu"))))
        .hasMessageStartingWith("unknown collector 'gpu': known collectors are [");
    assertThatThrownBy(
            () ->
                CollectorCatalog.of(
                    List.of(
                        provider("a", Set.of(), Set.of(), Set.of(), x -> {}),
                        provider("a", Set.of(), Set.of(), Set.of(), x -> {}))))
        .hasMessageContaining("two collectors are named a");
    CollectorCatalog cycle =
        CollectorCatalog.of(
            List.of(
                provider("a", Set.of(), Set.of("b"), Set.of(), x -> {}),
                provider("b", Set.of(), Set.of(), Set.of("a"), x -> {})));
    assertThatThrownBy(() -> Pipeline.builder(cycle).start())
        .hasMessageContaining("collector dependency cycle");
  }

  private static String render(ReportSection s) {
    StringBuilder b = new StringBuilder();
    s.render(
        new ReportWriter() {
          @Override
          public void heading(String title) {}

          @Override
          public void table(dev.aiprof.api.report.Table table) {}

          @Override
          public void histogram(String title, Log2Histogram nanos) {}

          @Override
          public void line(String text) {
            b.append(text);
          }
        });
    return b.toString();
  }
}
