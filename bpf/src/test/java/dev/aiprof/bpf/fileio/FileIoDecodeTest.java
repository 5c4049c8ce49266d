package dev.aiprof.bpf.fileio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.Btf;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding of the file-I/O probe's records: each test writes a record field by field at the offsets
 * the compiled object's BTF gives (not the Java mirror's), then decodes it.
 */
class FileIoDecodeTest {
  @Test
  void aProcessEntryDecodesEveryField() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment k = record(a, "fileio_key");
      MemorySegment v = record(a, "fileio_stats");
      put(k, "fileio_key", "cgroup_id", 8, 77L);
      put(k, "fileio_key", "cgroup_v1_id", 8, 66L);
      put(k, "fileio_key", "pid", 4, 4242);
      put(k, "fileio_key", "proc_start_ns", 8, 123_456_789_012L);
      for (int i = 0; i < FileIoAbi.HIST_SLOTS; i++) {
        v.set(ValueLayout.JAVA_LONG, offset("fileio_stats", "read_hist") + 8L * i, i + 1);
      }
      String[] names = {
        "reads",
        "read_bytes",
        "read_ns",
        "writes",
        "write_bytes",
        "write_ns",
        "major_faults",
        "slow_reads"
      };
      for (int i = 0; i < names.length; i++) {
        put(v, "fileio_stats", names[i], 8, 100 + i);
      }
      for (int i = 0; i < FileIoAbi.CAUSES; i++) {
        v.set(ValueLayout.JAVA_LONG, offset("fileio_stats", "pages") + 8L * i, 10 * (i + 1));
      }
      FileIoStats s = FileIoStats.decode(k, v);
      assertThat(s.cgroupId()).isEqualTo(77);
      assertThat(s.cgroupV1Id()).isEqualTo(66);
      assertThat(s.pid()).isEqualTo(4242);
      assertThat(s.process())
          .as("the process: its pid and start in /proc/PID/stat's clock ticks")
          .isEqualTo(new ProcessKey(4242, 12_345));
      assertThat(s.readLatency().count(0)).isEqualTo(1);
      assertThat(s.readLatency().count(FileIoAbi.HIST_SLOTS - 1)).isEqualTo(FileIoAbi.HIST_SLOTS);
      assertThat(List.of(s.reads(), s.readBytes(), s.readNs(), s.writes(), s.writeBytes()))
          .containsExactly(100L, 101L, 102L, 103L, 104L);
      assertThat(s.writeNs()).isEqualTo(105);
      assertThat(s.majorFaults()).isEqualTo(106);
      assertThat(s.slowReads()).isEqualTo(107);
      assertThat(s.pages(FileIoCause.READ)).isEqualTo(10);
      assertThat(s.pages(FileIoCause.READAHEAD)).isEqualTo(20);
      assertThat(s.pages(FileIoCause.WRITE)).isEqualTo(30);
      assertThat(s.pages(FileIoCause.OTHER)).isEqualTo(40);
      assertThat(s.misses()).as("every cause but write").isEqualTo(10 + 20 + 40);
    }
  }

  @Test
  void aSlotEntryDecodesEveryField() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment k = record(a, "fileio_slot_key");
      MemorySegment v = record(a, "fileio_slot");
      put(k, "fileio_slot_key", "slot", 8, 123_456L);
      put(k, "fileio_slot_key", "tid", 4, 4243);
      String[] names = {
        "cgroup_id",
        "cgroup_v1_id",
        "reads",
        "read_bytes",
        "read_ns",
        "writes",
        "write_bytes",
        "misses",
        "readahead",
        "major_faults",
        "first_ts",
        "last_ts"
      };
      for (int i = 0; i < names.length; i++) {
        put(v, "fileio_slot", names[i], 8, i + 1);
      }
      put(v, "fileio_slot", "pid", 4, 4242);
      put(v, "fileio_slot", "proc_start_ns", 8, 7_000_000_000L);
      FileIoSlot s = FileIoSlot.decode(k, v);
      assertThat(s)
          .isEqualTo(
              new FileIoSlot(
                  123_456, 4242, 7_000_000_000L, 4243, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
      assertThat(s.process()).isEqualTo(new ProcessKey(4242, 700));
    }
  }

  @Test
  void aSlowReadDecodesInPlace() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment e = record(a, "fileio_event");
      put(e, "fileio_event", "start_ts", 8, 1_000L);
      put(e, "fileio_event", "end_ts", 8, 21_000L);
      put(e, "fileio_event", "cgroup_id", 8, 9L);
      put(e, "fileio_event", "cgroup_v1_id", 8, 8L);
      put(e, "fileio_event", "ino", 8, 131_073L);
      put(e, "fileio_event", "pos", 8, 65_536L);
      put(e, "fileio_event", "ret", 8, -5L);
      put(e, "fileio_event", "proc_start_ns", 8, 19_999_999L);
      put(e, "fileio_event", "dev", 4, (254 << 20) | 3);
      put(e, "fileio_event", "pid", 4, 10);
      put(e, "fileio_event", "tid", 4, 11);
      put(e, "fileio_event", "op", 1, FileIoOp.PREADV2.code());
      put(e, "fileio_event", "file", 1, FileIoAbi.FILE_BLOCK);
      put(e, "fileio_event", "followed", 1, 1);
      SlowRead r = SlowRead.at(e.address());
      assertThat(r)
          .isEqualTo(
              new SlowRead(
                  1_000,
                  21_000,
                  9,
                  8,
                  131_073,
                  65_536,
                  -5,
                  19_999_999,
                  (254 << 20) | 3,
                  10,
                  11,
                  FileIoOp.PREADV2,
                  true,
                  true));
      assertThat(r.durationNs()).isEqualTo(20_000);
      assertThat(r.process())
          .as("ticks round down, as the kernel's")
          .isEqualTo(new ProcessKey(10, 1));
      assertThat(r.device()).isEqualTo("254:3");
    }
  }

  @Test
  void opsNameTheirSyscallsAndUnknownCodesDecodeAsNull() {
    assertThat(FileIoOp.PREAD64.syscall()).isEqualTo("pread64");
    assertThat(FileIoOp.PWRITEV2.isRead()).isFalse();
    assertThat(FileIoOp.PREADV.isRead()).isTrue();
    assertThat(FileIoOp.ofCode(FileIoAbi.OPS)).isNull();
    assertThat(FileIoOp.ofCode(-1)).isNull();
  }

  @Test
  void tracefsSaysWhichTracepointsExist(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("events/syscalls/sys_enter_read"));
    Tracefs t = new Tracefs(List.of(dir.resolve("missing"), dir));
    assertThat(t.mounted()).isTrue();
    assertThat(t.has("syscalls", "sys_enter_read")).isTrue();
    assertThat(t.has("syscalls", "sys_enter_preadv2")).isFalse();
    assertThat(new Tracefs(List.of(dir.resolve("missing"))).mounted()).isFalse();
  }

  @Test
  void configRejectsWhatTheKernelCannotTake() {
    FileIoConfig d = FileIoConfig.defaults();
    assertThat(d.slotNanos()).isEqualTo(1L << 24);
    assertThat(d.withSlowReadNs(5).slowReadNs()).isEqualTo(5);
    assertThatThrownBy(() -> d.withPageShift(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withSlowReadNs(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(FileIoConfig.hostPageShift()).isBetween(12, 16);
  }

  private static final Map<String, Btf.Struct> BTF = structs();

  private static Map<String, Btf.Struct> structs() {
    try (BpfObject obj = BpfObject.openResource(FileIoProbe.class, "fileio")) {
      return FileIoAbi.STRUCTS.stream()
          .map(s -> obj.btf().struct(s.name()).orElseThrow())
          .collect(Collectors.toMap(Btf.Struct::name, s -> s));
    }
  }

  private static MemorySegment record(Arena a, String struct) {
    return a.allocate(BTF.get(struct).size(), 8);
  }

  private static long offset(String struct, String field) {
    return BTF.get(struct).members().stream()
        .filter(m -> m.name().equals(field))
        .findFirst()
        .orElseThrow()
        .offset();
  }

  private static void put(MemorySegment s, String struct, String field, int bytes, long value) {
    long at = offset(struct, field);
    switch (bytes) {
      case 8 -> s.set(ValueLayout.JAVA_LONG, at, value);
      case 4 -> s.set(ValueLayout.JAVA_INT, at, (int) value);
      default -> s.set(ValueLayout.JAVA_BYTE, at, (byte) value);
    }
  }
}
