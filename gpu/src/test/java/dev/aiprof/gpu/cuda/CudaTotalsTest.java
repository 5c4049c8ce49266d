package dev.aiprof.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.cuda.CudaCall;
import dev.aiprof.bpf.cuda.CudaDir;
import dev.aiprof.bpf.cuda.CudaSlot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Totals per workload: sums over slots, live bytes per process, the series bound. */
class CudaTotalsTest {
  @Test
  void liveBytesAreAllocationsLessFreesPerProcessSummedPerWorkload() {
    CudaTotals t = new CudaTotals(16);
    t.add(slot(1, CudaCall.MEM_ALLOC, 3, 3 << 20));
    t.add(slot(1, CudaCall.RT_FREE, 1, 1 << 20));
    t.add(slot(2, CudaCall.RT_MALLOC, 1, 5 << 20));
    assertThat(t.liveBytes(1)).isEqualTo(2 << 20);
    assertThat(t.liveByWorkload()).isEqualTo(Map.of(List.of(7L, 0L), 7L << 20));
    t.retainProcesses(Set.of(2));
    assertThat(t.liveBytes(1)).as("an exited process's memory is gone").isZero();
  }

  @Test
  void slotsOfOneSeriesAddUpAndFurtherSeriesAreDroppedAndCounted() {
    CudaTotals t = new CudaTotals(1);
    t.add(slot(1, CudaCall.LAUNCH_KERNEL, 2, 0));
    t.add(slot(1, CudaCall.LAUNCH_KERNEL, 3, 0));
    t.add(slot(1, CudaCall.CTX_SYNC, 1, 0));
    long[] calls = {0};
    t.forEach((k, v) -> calls[0] += v.calls);
    assertThat(calls[0]).isEqualTo(5);
    assertThat(t.dropped()).isEqualTo(1);
  }

  private static CudaSlot slot(int pid, CudaCall call, long calls, long bytes) {
    return new CudaSlot(9, pid, pid, call, CudaDir.NONE, 7, 0, calls, 0, bytes, 0, 0, 5, 6);
  }
}
