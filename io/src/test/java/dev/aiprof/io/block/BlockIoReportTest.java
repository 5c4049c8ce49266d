package dev.aiprof.io.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.Cgroups;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportWriter;
import dev.aiprof.api.report.Table;
import dev.aiprof.bpf.blockio.BlockIoDir;
import dev.aiprof.bpf.blockio.BlockIoOrigin;
import dev.aiprof.bpf.blockio.BlockIoSeries;
import dev.aiprof.collectors.RecordingSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Series to metrics (histograms of ns with their sums) and to the report's window rows. */
class BlockIoReportTest {
  private static final int LOOP3 = 7 << 20 | 3;

  private static BlockIoSeries series(long requests, long bytes, long[] service, long serviceNs) {
    long[] queue = new long[40];
    queue[10] = requests;
    return new BlockIoSeries(
        42,
        0,
        LOOP3,
        BlockIoDir.READ,
        BlockIoOrigin.TASK,
        requests,
        bytes,
        requests,
        requests * 1024,
        requests,
        serviceNs,
        new Log2Histogram(queue),
        new Log2Histogram(service));
  }

  @Test
  void eachSeriesIsACounterPairAndTwoHistogramsOfNanosecondsWithTheirSums() {
    long[] service = new long[40];
    service[17] = 3; // 131..262 µs
    RecordingSink sink = new RecordingSink();
    BlockIoReport.series(sink, List.of(series(3, 3 * 65536, service, 600_000)), d -> "loop3");

    RecordingSink.Point req = sink.of(BlockIoMetrics.REQUESTS).getFirst();
    assertThat(req.value()).isEqualTo(3);
    assertThat(req.attributes().get(Identity.CGROUP_ID)).isEqualTo(42);
    assertThat(req.attributes().get(BlockIoMetrics.DEVICE)).isEqualTo("loop3");
    assertThat(req.attributes().get(BlockIoMetrics.DIRECTION)).isEqualTo("read");
    assertThat(req.attributes().get(BlockIoMetrics.ORIGIN)).isEqualTo("task");
    assertThat(sink.of(BlockIoMetrics.BYTES).getFirst().value()).isEqualTo(3 * 65536);
    RecordingSink.Point svc = sink.of(BlockIoMetrics.SERVICE_DURATION).getFirst();
    assertThat(svc.value()).as("the sum, ns").isEqualTo(600_000);
    assertThat(svc.histogram().count(17)).isEqualTo(3);
    assertThat(BlockIoMetrics.SERVICE_DURATION.unit()).isEqualTo("s");
    assertThat(sink.of(BlockIoMetrics.QUEUE_DURATION).getFirst().value()).isEqualTo(3 * 1024);
  }

  @Test
  void theSectionShowsWhatGrewInTheWindow() {
    long[] s1 = new long[40];
    s1[17] = 2;
    long[] s2 = s1.clone();
    s2[20] = 1; // ~1-2 ms
    AtomicReference<List<BlockIoSeries>> now =
        new AtomicReference<>(List.of(series(2, 2 * 4096, s1, 400_000)));
    BlockIoReportSection section =
        new BlockIoReportSection(
            now::get,
            new BlockIoActivity(4, 4, 4),
            d -> "loop3",
            System::nanoTime,
            () -> "probe: test",
            List::of);
    section.open(
        new ReportScope(
            0,
            Set.of(),
            10,
            Duration.ofMillis(1),
            false,
            new Cgroups() {
              @Override
              public Optional<String> name(long v2Id, long v1Id) {
                return Optional.of("pod-a");
              }

              @Override
              public void refresh() {}

              @Override
              public boolean exists(long v2Id, long v1Id) {
                return true;
              }
            }));
    now.set(List.of(series(3, 3 * 4096 + (1 << 20), s2, 1_900_000)));
    Lines out = new Lines();
    section.render(out);
    assertThat(out.tables)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.rows())
                  .singleElement()
                  .satisfies(
                      r -> {
                        assertThat(r.get(0)).isEqualTo("pod-a");
                        assertThat(r.get(1)).isEqualTo("loop3");
                        assertThat(r.get(4)).as("requests in the window").isEqualTo("1");
                        assertThat(r.get(7))
                            .as("mean service time in the window")
                            .isEqualTo("1.500 ms");
                      });
            });
  }

  /** A report writer that keeps what it is given. */
  private static final class Lines implements ReportWriter {
    final List<String> lines = new ArrayList<>();
    final List<Table> tables = new ArrayList<>();

    @Override
    public void heading(String text) {
      lines.add("# " + text);
    }

    @Override
    public void line(String text) {
      lines.add(text);
    }

    @Override
    public void table(Table t) {
      tables.add(t);
    }

    @Override
    public void histogram(String title, Log2Histogram nanos) {
      lines.add("histogram " + title);
    }
  }
}
