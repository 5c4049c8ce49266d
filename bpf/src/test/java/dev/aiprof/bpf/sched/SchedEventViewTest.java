package dev.aiprof.bpf.sched;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class SchedEventViewTest {
  @Test
  void readsEveryFieldInPlace() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment e = a.allocate(SchedAbi.EVENT);
      set(e, "cgroup_id", 4242L);
      set(e, "cgroup_v1_id", 77L);
      set(e, "offcpu_ts", 1_000L);
      set(e, "runnable_ts", 1_600L);
      set(e, "oncpu_ts", 2_000L);
      set(e, "steal_ns", 55L);
      setInt(e, "pid", 10);
      setInt(e, "tid", 11);
      setInt(e, "waker_pid", 20);
      setInt(e, "waker_tid", 21);
      SchedAbi.EVENT.varHandle(groupElement("kind")).set(e, 0L, (byte) OffCpuKind.BLOCKED.code());
      setInt(e, "cpu", 3);

      SchedEventView v = new SchedEventView().at(e.address());
      assertThat(v.cgroupId()).isEqualTo(4242);
      assertThat(v.cgroupV1Id()).isEqualTo(77);
      assertThat(v.pid()).isEqualTo(10);
      assertThat(v.tid()).isEqualTo(11);
      assertThat(v.wakerPid()).isEqualTo(20);
      assertThat(v.wakerTid()).isEqualTo(21);
      assertThat(v.kind()).isEqualTo(OffCpuKind.BLOCKED);
      assertThat(v.cpu()).isEqualTo(3);
      assertThat(v.stealNs()).isEqualTo(55);
      assertThat(v.offCpuNs()).isEqualTo(600);
      assertThat(v.runqueueNs()).isEqualTo(400);
      assertThat(SchedEventView.SIZE).isEqualTo(72);
    }
  }

  @Test
  void readsEachFieldWithItsOwnWidthAndNoSignExtension() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment e = a.allocate(SchedAbi.EVENT);
      e.fill((byte) 0xff); // every neighbour all ones: a wider read would pick them up
      setInt(e, "pid", 7);
      setInt(e, "waker_tid", 9);
      SchedAbi.EVENT.varHandle(groupElement("kind")).set(e, 0L, (byte) 2);
      SchedEventView v = new SchedEventView().at(e.address());
      assertThat(v.pid()).isEqualTo(7);
      assertThat(v.wakerTid()).isEqualTo(9);
      assertThat(v.kind()).isEqualTo(OffCpuKind.BLOCKED);
      assertThat(v.flags()).as("u8 flags, all bits set").isEqualTo(0xff);
      assertThat(v.tid()).as("u32 all ones, bit for bit").isEqualTo(-1);
      assertThat(Integer.toUnsignedLong(v.cpu())).isEqualTo(0xffff_ffffL);
      assertThat(v.cgroupId()).isEqualTo(-1L);
      SchedAbi.EVENT.varHandle(groupElement("kind")).set(e, 0L, (byte) 0xfe);
      assertThat(v.kindCode()).as("u8 kind 0xfe, zero-extended").isEqualTo(0xfe);
      assertThat(v.kind()).isEqualTo(OffCpuKind.OTHER);
    }
  }

  @Test
  void unknownKindCodesReadAsOther() {
    assertThat(OffCpuKind.ofCode(9)).isEqualTo(OffCpuKind.OTHER);
    assertThat(OffCpuKind.ofCode(-1)).isEqualTo(OffCpuKind.OTHER);
  }

  private static void set(MemorySegment s, String f, long v) {
    SchedAbi.EVENT.varHandle(groupElement(f)).set(s, 0L, v);
  }

  private static void setInt(MemorySegment s, String f, int v) {
    SchedAbi.EVENT.varHandle(groupElement(f)).set(s, 0L, v);
  }
}
