package dev.aiprof.bpf.blockio;

import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.AbiStruct;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Decoding of the probe's map entries and events from bytes laid out as blockio.h says. */
class BlockIoDecodeTest {
  private static final int LOOP7 = 7 << 20 | 7;

  @Test
  void aSeriesDecodesItsKeyCountsAndBothHistograms() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment k = a.allocate(BlockIoAbi.KEY.layout());
      MemorySegment v = a.allocate(BlockIoAbi.STATS.layout());
      put(k, BlockIoAbi.KEY, "cgroup_id", 4242L);
      put(k, BlockIoAbi.KEY, "cgroup_v1_id", 77L);
      k.set(JAVA_INT, BlockIoAbi.KEY.offset("dev", U32), LOOP7);
      k.set(JAVA_BYTE, BlockIoAbi.KEY.offset("dir", U8), (byte) 1);
      k.set(JAVA_BYTE, BlockIoAbi.KEY.offset("origin", U8), (byte) 2);
      put(v, BlockIoAbi.STATS, "requests", 10L);
      put(v, BlockIoAbi.STATS, "bytes", 40960L);
      put(v, BlockIoAbi.STATS, "queued", 9L);
      put(v, BlockIoAbi.STATS, "queue_ns", 9000L);
      put(v, BlockIoAbi.STATS, "issued", 10L);
      put(v, BlockIoAbi.STATS, "service_ns", 1_000_000L);
      long q = BlockIoAbi.STATS.offset("queue_hist", dev.aiprof.bpf.CType.array(U64, 40));
      long s = BlockIoAbi.STATS.offset("service_hist", dev.aiprof.bpf.CType.array(U64, 40));
      v.set(JAVA_LONG, q + 8L * 9, 9); // 512..1023 ns
      v.set(JAVA_LONG, s + 8L * 16, 10); // 65..131 µs
      v.set(JAVA_LONG, s + 8L * 39, 0);

      BlockIoSeries got = BlockIoSeries.decode(k, v);

      assertThat(got.cgroupId()).isEqualTo(4242);
      assertThat(got.cgroupV1Id()).isEqualTo(77);
      assertThat(got.major()).isEqualTo(7);
      assertThat(got.minor()).isEqualTo(7);
      assertThat(got.dir()).isEqualTo(BlockIoDir.WRITE);
      assertThat(got.origin()).isEqualTo(BlockIoOrigin.WRITEBACK);
      assertThat(got.requests()).isEqualTo(10);
      assertThat(got.bytes()).isEqualTo(40960);
      assertThat(got.queued()).isEqualTo(9);
      assertThat(got.queueNs()).isEqualTo(9000);
      assertThat(got.serviceNs()).isEqualTo(1_000_000);
      assertThat(got.queue().count(9)).isEqualTo(9);
      assertThat(got.queue().total()).isEqualTo(9);
      assertThat(got.service().count(16)).isEqualTo(10);
      assertThat(got.service().total()).isEqualTo(10);
    }
  }

  @Test
  void unknownCodesDecodeToTheCatchAllValues() {
    assertThat(BlockIoDir.ofCode(200)).isEqualTo(BlockIoDir.OTHER);
    assertThat(BlockIoOrigin.ofCode(9)).isEqualTo(BlockIoOrigin.KERNEL);
    assertThat(BlockIoDir.WRITE.label()).isEqualTo("write");
    assertThat(BlockIoOrigin.READAHEAD.label()).isEqualTo("readahead");
  }

  @Test
  void anEventDecodesItsTimesIdentityAndFlags() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment e = a.allocate(BlockIoAbi.EVENT.layout());
      put(e, BlockIoAbi.EVENT, "start_ts", 1_000L);
      put(e, BlockIoAbi.EVENT, "issue_ts", 1_500L);
      put(e, BlockIoAbi.EVENT, "end_ts", 101_500L);
      put(e, BlockIoAbi.EVENT, "cgroup_id", 9L);
      put(e, BlockIoAbi.EVENT, "cgroup_v1_id", 3L);
      put(e, BlockIoAbi.EVENT, "bytes", 65536L);
      e.set(JAVA_INT, BlockIoAbi.EVENT.offset("pid", U32), 100);
      e.set(JAVA_INT, BlockIoAbi.EVENT.offset("tid", U32), 101);
      e.set(JAVA_INT, BlockIoAbi.EVENT.offset("dev", U32), LOOP7);
      e.set(JAVA_BYTE, BlockIoAbi.EVENT.offset("dir", U8), (byte) 0);
      e.set(JAVA_BYTE, BlockIoAbi.EVENT.offset("origin", U8), (byte) 1);
      e.set(
          JAVA_BYTE,
          BlockIoAbi.EVENT.offset("flags", U8),
          (byte) (BlockIoRequest.FOLLOWED | BlockIoRequest.QUEUED | BlockIoRequest.ISSUED));

      BlockIoRequest r = BlockIoRequest.at(e.address());

      assertThat(r.queueNs()).isEqualTo(500);
      assertThat(r.serviceNs()).isEqualTo(100_000);
      assertThat(r.durationNs()).isEqualTo(100_500);
      assertThat(r.bytes()).isEqualTo(65536);
      assertThat(r.pid()).isEqualTo(100);
      assertThat(r.tid()).isEqualTo(101);
      assertThat(r.dev()).isEqualTo(LOOP7);
      assertThat(r.dir()).isEqualTo(BlockIoDir.READ);
      assertThat(r.origin()).isEqualTo(BlockIoOrigin.READAHEAD);
      assertThat(r.followed()).isTrue();
      assertThat(r.slow()).isFalse();
      assertThat(r.cgroupId()).isEqualTo(9);
      assertThat(r.cgroupV1Id()).isEqualTo(3);
    }
  }

  @Test
  void overlapIsThePartOfTheRequestInsideTheWindow() {
    BlockIoRequest r =
        new BlockIoRequest(
            1_000, 1_100, 2_000, 1, 0, 4096, 1, 1, 0, BlockIoDir.READ, BlockIoOrigin.TASK, 0);
    assertThat(r.overlapNs(0, 10_000)).isEqualTo(1_000);
    assertThat(r.overlapNs(1_500, 10_000)).isEqualTo(500);
    assertThat(r.overlapNs(0, 1_200)).isEqualTo(200);
    assertThat(r.overlapNs(2_000, 3_000)).isZero();
    assertThat(r.overlapNs(0, 500)).isZero();
  }

  private static void put(MemorySegment s, AbiStruct st, String field, long v) {
    s.set(JAVA_LONG, st.offset(field, U64), v);
  }
}
