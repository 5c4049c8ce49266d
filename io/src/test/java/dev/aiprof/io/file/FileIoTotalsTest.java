package dev.aiprof.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.bpf.fileio.FileIoAbi;
import dev.aiprof.bpf.fileio.FileIoCause;
import dev.aiprof.bpf.fileio.FileIoStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Workload totals stay monotonic when the kernel forgets exited processes; bounds count. */
class FileIoTotalsTest {
  @Test
  void anExitedProcessStaysInItsWorkloadsTotalsAndInTheProcessList() {
    FileIoTotals t = new FileIoTotals(8, 8);
    FileIoStats a = stats(5, 100, 1000);
    FileIoStats b = stats(5, 101, 10);
    t.refresh(List.of(a, b));
    assertThat(t.workloads().get(new FileIoTotals.Workload(5, 0)).readBytes).isEqualTo(1010);
    t.exited(a);
    t.refresh(List.of(b)); // the kernel no longer has a
    FileIoValues w = t.workloads().get(new FileIoTotals.Workload(5, 0));
    assertThat(w.readBytes).as("never goes back").isEqualTo(1010);
    assertThat(w.hist[3]).isEqualTo(2);
    assertThat(w.pages(FileIoCause.READAHEAD)).isEqualTo(14);
    assertThat(t.processes()).containsKeys(FileIoTotals.Proc.of(a), FileIoTotals.Proc.of(b));
  }

  @Test
  void workloadsPastTheBoundShareTheOverflowSeriesAndPastItAreDroppedAndCounted() {
    FileIoTotals t = new FileIoTotals(1, 1);
    t.exited(stats(1, 10, 1));
    t.exited(stats(2, 11, 5)); // a second workload: over the bound, into the overflow
    t.refresh(List.of(stats(2, 12, 7)));
    assertThat(t.dropped()).isZero();
    assertThat(t.workloads())
        .containsOnlyKeys(new FileIoTotals.Workload(1, 0), FileIoTotals.OVERFLOW);
    assertThat(t.workloads().get(FileIoTotals.OVERFLOW).readBytes)
        .as("exited + live")
        .isEqualTo(12);
    t.exited(stats(3, 13, 100)); // a third: the overflow holds one workload
    assertThat(t.dropped()).isEqualTo(1);
    assertThat(t.workloads().get(FileIoTotals.OVERFLOW).readBytes).isEqualTo(12);
    assertThat(t.processes()).as("the oldest exited forgotten").hasSize(2);
  }

  @Test
  void aReusedPidIsAnotherProcessWithValuesOfItsOwn() {
    FileIoTotals t = new FileIoTotals(8, 8);
    FileIoStats old = stats(5, 100, 0, 1000);
    FileIoStats reused = stats(5, 100, 3_000_000_000L, 10); // the pid again, 3 s later
    t.refresh(List.of(old, reused));
    assertThat(t.processes())
        .as("one pid, two processes")
        .containsOnlyKeys(FileIoTotals.Proc.of(old), FileIoTotals.Proc.of(reused));
    assertThat(t.processes().get(FileIoTotals.Proc.of(reused)).readBytes).isEqualTo(10);
    t.exited(old);
    t.refresh(List.of(reused));
    assertThat(t.processes().get(FileIoTotals.Proc.of(reused)).readBytes)
        .as("the new process inherits nothing")
        .isEqualTo(10);
    assertThat(t.processes().get(FileIoTotals.Proc.of(old)).readBytes).isEqualTo(1000);
    assertThat(t.workloads().get(new FileIoTotals.Workload(5, 0)).readBytes).isEqualTo(1010);
  }

  @Test
  void aForgottenWorkloadLeavesItsSeriesButItsValuesStayInTheOverflow() {
    FileIoTotals t = new FileIoTotals(1, 8);
    t.exited(stats(1, 10, 1));
    t.exited(stats(2, 11, 5));
    assertThat(t.held())
        .containsExactlyInAnyOrder(
            new FileIoTotals.Workload(1, 0), new FileIoTotals.Workload(2, 0));
    t.forget(new FileIoTotals.Workload(2, 0));
    t.forget(new FileIoTotals.Workload(1, 0));
    assertThat(t.held()).isEmpty();
    assertThat(t.workloads()).containsOnlyKeys(FileIoTotals.OVERFLOW);
    assertThat(t.workloads().get(FileIoTotals.OVERFLOW).readBytes)
        .as("the overflow never goes down")
        .isEqualTo(5);
    t.exited(stats(3, 12, 9)); // room again: a new workload has a series of its own
    assertThat(t.workloads().get(new FileIoTotals.Workload(3, 0)).readBytes).isEqualTo(9);
    assertThat(t.workloads().get(FileIoTotals.OVERFLOW).readBytes).isEqualTo(5);
  }

  @Test
  void aWorkloadInTheOverflowStaysThereWhenRoomFrees() {
    FileIoTotals t = new FileIoTotals(1, 8);
    t.refresh(List.of(stats(1, 10, 1), stats(2, 11, 5)));
    long over = t.workloads().get(FileIoTotals.OVERFLOW).readBytes;
    t.forget(new FileIoTotals.Workload(over == 5 ? 1 : 2, 0));
    t.refresh(List.of(stats(1, 10, 1), stats(2, 11, 5)));
    assertThat(t.workloads().get(FileIoTotals.OVERFLOW).readBytes)
        .as("not moved to a series of its own: the overflow would go down")
        .isEqualTo(over);
  }

  @Test
  void differencesOverAWindow() {
    FileIoValues before = FileIoValues.of(stats(1, 1, 100));
    FileIoValues after = FileIoValues.of(stats(1, 1, 300));
    FileIoValues d = after.minus(before);
    assertThat(d.readBytes).isEqualTo(200);
    assertThat(d.misses()).isZero();
    assertThat(d.isEmpty()).isTrue(); // the same reads and pages: only bytes moved
    assertThat(FileIoReportSection.bytes(20_000_000)).isEqualTo("19.1 MiB");
    assertThat(FileIoReportSection.micros(1500)).isEqualTo("2 µs");
    assertThat(FileIoReportSection.micros(2_500_000)).isEqualTo("2.50 ms");
  }

  private static FileIoStats stats(long cgroup, int pid, long readBytes) {
    return stats(cgroup, pid, 0, readBytes);
  }

  private static FileIoStats stats(long cgroup, int pid, long startNs, long readBytes) {
    long[] hist = new long[FileIoAbi.HIST_SLOTS];
    hist[3] = 1;
    long[] pages = new long[FileIoAbi.CAUSES];
    pages[FileIoCause.READAHEAD.code()] = 7;
    return new FileIoStats(
        cgroup, 0, pid, startNs, new Log2Histogram(hist), 1, readBytes, 50, 0, 0, 0, pages, 0, 0);
  }
}
