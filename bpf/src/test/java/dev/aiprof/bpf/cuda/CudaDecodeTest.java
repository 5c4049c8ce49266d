package dev.aiprof.bpf.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.Btf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Decoding of the CUDA probe's records: each test writes a record field by field at the offsets the
 * compiled object's BTF gives (not the Java mirror's), then decodes it with the Java side.
 */
class CudaDecodeTest {
  @Test
  void aStatsEntryDecodesEveryField() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment k = record(a, "cuda_key");
      MemorySegment v = record(a, "cuda_stats");
      put(k, "cuda_key", "slot", 8, 123_456L);
      put(k, "cuda_key", "tid", 4, 4242);
      put(k, "cuda_key", "call", 2, CudaCall.RT_MEMCPY_ASYNC.code());
      put(k, "cuda_key", "dir", 1, CudaDir.DTOH.code());
      long[] values = {7, 3, 5, 11, 2, 13, 17, 1000, 2000};
      String[] names = {
        "cgroup_id",
        "cgroup_v1_id",
        "calls",
        "errors",
        "bytes",
        "ns",
        "event_ns",
        "first_ts",
        "last_ts"
      };
      for (int i = 0; i < names.length; i++) {
        put(v, "cuda_stats", names[i], 8, values[i]);
      }
      put(v, "cuda_stats", "pid", 4, 4200);
      assertThat(CudaSlot.decode(k, v))
          .isEqualTo(
              new CudaSlot(
                  123_456,
                  4200,
                  4242,
                  CudaCall.RT_MEMCPY_ASYNC,
                  CudaDir.DTOH,
                  7,
                  3,
                  5,
                  11,
                  2,
                  13,
                  17,
                  1000,
                  2000));
      assertThat(CudaSlot.decode(k, v).shortNs()).isZero(); // ns 13 < event ns 17: clamped
    }
  }

  @Test
  void aWaitEventDecodesInPlace() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment e = record(a, "cuda_wait_event");
      put(e, "cuda_wait_event", "start_ts", 8, 1_000L);
      put(e, "cuda_wait_event", "end_ts", 8, 6_000L);
      put(e, "cuda_wait_event", "cgroup_id", 8, 9L);
      put(e, "cuda_wait_event", "cgroup_v1_id", 8, 10L);
      put(e, "cuda_wait_event", "pid", 4, 1);
      put(e, "cuda_wait_event", "tid", 4, 2);
      put(e, "cuda_wait_event", "result", 4, -35);
      put(e, "cuda_wait_event", "call", 2, CudaCall.RT_STREAM_SYNC.code());
      CudaWait w = CudaWait.at(e.address());
      assertThat(w)
          .isEqualTo(new CudaWait(1_000, 6_000, 9, 10, 1, 2, -35, CudaCall.RT_STREAM_SYNC));
      assertThat(w.durationNs()).isEqualTo(5_000);
    }
  }

  @Test
  void aHistogramDecodesEverySlot() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment k = record(a, "cuda_hist_key");
      MemorySegment v = record(a, "cuda_hist");
      put(k, "cuda_hist_key", "cgroup_id", 8, 5L);
      put(k, "cuda_hist_key", "call", 4, CudaCall.CTX_SYNC.code());
      for (int i = 0; i < CudaAbi.HIST_SLOTS; i++) {
        v.set(ValueLayout.JAVA_LONG, offset("cuda_hist", "slots") + 8L * i, i);
      }
      CudaSyncHistogram h = CudaSyncHistogram.decode(k, v);
      assertThat(h.call()).isEqualTo(CudaCall.CTX_SYNC);
      assertThat(h.cgroupId()).isEqualTo(5);
      assertThat(h.waits().count(CudaAbi.HIST_SLOTS - 1)).isEqualTo(CudaAbi.HIST_SLOTS - 1);
    }
  }

  @Test
  void unknownCodesDecodeAsNullOrNone() {
    assertThat(CudaCall.ofCode(CudaAbi.CALLS)).isNull();
    assertThat(CudaDir.ofCode(200)).isEqualTo(CudaDir.NONE);
  }

  @Test
  void cookiesCarryTheCallAndTheDirection() {
    CudaSymbol dtoh =
        CudaSymbol.DRIVER.stream()
            .filter(s -> s.name().equals("cuMemcpyDtoHAsync_v2"))
            .findFirst()
            .orElseThrow();
    assertThat(dtoh.cookie()).isEqualTo(CudaCall.MEMCPY_ASYNC.code() | (CudaDir.DTOH.code() << 8));
    CudaSymbol rt =
        CudaSymbol.RUNTIME.stream()
            .filter(s -> s.name().equals("cudaMemcpy"))
            .findFirst()
            .orElseThrow();
    assertThat(rt.cookie() >> 8).as("direction from the kind argument").isEqualTo(255);
    assertThat(rt.entryProgram()).isEqualTo("cuda_enter");
  }

  private static final Map<String, Btf.Struct> BTF = structs();

  private static Map<String, Btf.Struct> structs() {
    try (BpfObject obj = BpfObject.openResource(CudaProbe.class, "cuda")) {
      return CudaAbi.STRUCTS.stream()
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
      case 2 -> s.set(ValueLayout.JAVA_SHORT, at, (short) value);
      default -> s.set(ValueLayout.JAVA_BYTE, at, (byte) value);
    }
  }
}
