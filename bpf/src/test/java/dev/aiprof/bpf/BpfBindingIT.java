package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The binding against the kernel, with test-only programs (src/test/bpf/binding_test.bpf.c). */
@Requires(root = true)
@NoBpfLeaks
class BpfBindingIT {
  private static final MethodHandle GETPID =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("getpid").orElseThrow(),
              FunctionDescriptor.of(JAVA_INT));
  private static final MethodHandle GETTID =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("gettid").orElseThrow(),
              FunctionDescriptor.of(JAVA_INT));
  private static final int SELF = (int) ProcessHandle.current().pid();

  private static int tid() throws Throwable {
    return (int) GETTID.invokeExact();
  }

  private static BpfObject open() {
    return BpfObject.openResource(BpfBindingIT.class, "binding_test");
  }

  @Test
  void constantsSetBeforeLoadReachTheProgram() throws Exception {
    try (BpfObject obj = open()) {
      obj.setConstant("magic", 0x1234_5678_9abcL).setConstant("small", 3);
      obj.program("on_entry").setAutoload(false);
      obj.program("on_return").setAutoload(false);
      obj.load();
      try (BpfLink l = obj.program("copy_magic").attachTrace();
          Arena a = Arena.ofConfined()) {
        MemorySegment key = a.allocateFrom(JAVA_INT, 0);
        MemorySegment value = a.allocate(JAVA_LONG);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (value.get(JAVA_LONG, 0) == 0 && System.nanoTime() < deadline) {
          Thread.yield(); // context switches run the program
          obj.map("seen_magic").lookup(key, value);
        }
        assertThat(value.get(JAVA_LONG, 0)).isEqualTo(0x1234_5678_9abcL + 3);
        BpfMap switches = obj.map("switches");
        assertThat(switches.perCpu()).isTrue();
        MemorySegment perCpu = a.allocate(switches.valueBufferSize(), 8);
        assertThat(switches.lookup(key, perCpu)).isTrue();
        long total = 0;
        for (int cpu = 0; cpu < BpfMap.possibleCpus(); cpu++) {
          total += perCpu.get(JAVA_LONG, cpu * switches.perCpuStride());
        }
        assertThat(total).isPositive();
      }
    }
  }

  @Test
  void constantsAreCheckedBeforeLoad() {
    try (BpfObject obj = open()) {
      assertThatThrownBy(() -> obj.setConstant("small", 300)).hasMessageContaining("does not fit");
      assertThatThrownBy(() -> obj.setConstant("nope", 1))
          .hasMessageContaining("no const volatile");
    }
  }

  @Test
  void hashMapOperationsAndIteration() {
    try (BpfObject obj = loaded();
        Arena a = Arena.ofConfined()) {
      BpfMap m = obj.map("hash_map");
      for (int k = 1; k <= 300; k++) {
        m.update(a.allocateFrom(JAVA_INT, k), a.allocateFrom(JAVA_LONG, k * 10L), BpfMap.NOEXIST);
      }
      assertThatThrownBy(
              () ->
                  m.update(
                      a.allocateFrom(JAVA_INT, 1), a.allocateFrom(JAVA_LONG, 0), BpfMap.NOEXIST))
          .isInstanceOf(BpfException.class)
          .satisfies(e -> assertThat(((BpfException) e).errno()).isEqualTo(Errno.EEXIST));
      assertThat(m.delete(a.allocateFrom(JAVA_INT, 7))).isTrue();
      assertThat(m.delete(a.allocateFrom(JAVA_INT, 7))).isFalse();
      MemorySegment v = a.allocate(JAVA_LONG);
      assertThat(m.lookup(a.allocateFrom(JAVA_INT, 7), v)).isFalse();
      assertThat(m.lookup(a.allocateFrom(JAVA_INT, 8), v)).isTrue();
      assertThat(v.get(JAVA_LONG, 0)).isEqualTo(80);

      Map<Integer, Long> seen = new HashMap<>();
      int n = m.forEach(16, (k, val) -> seen.put(k.get(JAVA_INT, 0), val.get(JAVA_LONG, 0)));
      assertThat(n).isEqualTo(299);
      assertThat(seen).hasSize(299).containsEntry(300, 3000L).doesNotContainKey(7);

      List<Integer> keys = new ArrayList<>();
      MemorySegment cur = MemorySegment.NULL;
      MemorySegment next = a.allocate(JAVA_INT);
      MemorySegment prev = a.allocate(JAVA_INT);
      while (m.nextKey(cur, next)) {
        keys.add(next.get(JAVA_INT, 0));
        prev.copyFrom(next);
        cur = prev;
      }
      assertThat(keys).hasSize(299).doesNotContain(7);
    }
  }

  @Test
  void uprobeAndUretprobeSeeCookieAndReturnValue() throws Throwable {
    Path libc = FeatureProber.mappedLibc().orElseThrow();
    List<long[]> got = new ArrayList<>();
    try (BpfObject obj = open()) {
      obj.setConstant("target_tid", tid());
      obj.program("copy_magic").setAutoload(false);
      obj.load();
      try (BpfLink in =
              obj.program("on_entry")
                  .attachUprobe(Uprobe.entry(libc, "getpid").withPid(SELF).withCookie(0xC0FFEE));
          BpfLink out =
              obj.program("on_return")
                  .attachUprobe(Uprobe.exit(libc, "getpid").withPid(SELF).withCookie(7));
          RingBuffer rb =
              RingBuffer.open(
                  obj.map("records"),
                  (addr, size) ->
                      got.add(
                          new long[] {
                            RawMemory.u64(addr),
                            RawMemory.u64(addr + 8),
                            RawMemory.u32(addr + 16),
                            RawMemory.u32(addr + 20),
                            size
                          }))) {
        for (int i = 0; i < 3; i++) {
          assertThat((int) GETPID.invokeExact()).isEqualTo(SELF);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (got.size() < 6 && System.nanoTime() < deadline) {
          rb.poll(50);
        }
        assertThat(rb.records()).isEqualTo(6);
        assertThat(rb.failed()).isZero();
      }
    }
    assertThat(got).hasSize(6);
    assertThat(got)
        .filteredOn(r -> r[3] == 0)
        .hasSize(3)
        .allSatisfy(r -> assertThat(r[0]).isEqualTo(0xC0FFEE));
    assertThat(got)
        .filteredOn(r -> r[3] == 1)
        .hasSize(3)
        .allSatisfy(
            r -> {
              assertThat(r[0]).isEqualTo(7);
              assertThat(r[1]).isEqualTo(SELF);
            });
    assertThat(got).allSatisfy(r -> assertThat(r[4]).isEqualTo(24));
  }

  @Test
  @Requires(tools = "readelf")
  void uprobeAtAFileOffsetFiresWithoutASymbolLookup() throws Throwable {
    Path libc = FeatureProber.mappedLibc().orElseThrow();
    long offset = ElfOffsets.fileOffset(libc, "getpid");
    Uprobe at = Uprobe.atOffset(libc, offset).withPid(SELF).withCookie(0xABC);
    assertThat(at.function()).isNull();
    assertThat(at.location()).isEqualTo(libc + ":0x" + Long.toHexString(offset));
    List<Long> cookies = new ArrayList<>();
    try (BpfObject obj = open()) {
      obj.setConstant("target_tid", tid());
      obj.program("copy_magic").setAutoload(false);
      obj.program("on_return").setAutoload(false);
      obj.load();
      try (BpfLink in = obj.program("on_entry").attachUprobe(at);
          RingBuffer rb =
              RingBuffer.open(obj.map("records"), (a, n) -> cookies.add(RawMemory.u64(a)))) {
        assertThat(in.target()).contains("uprobe " + at.location());
        for (int i = 0; i < 2; i++) {
          assertThat((int) GETPID.invokeExact()).isEqualTo(SELF);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cookies.size() < 2 && System.nanoTime() < deadline) {
          rb.poll(50);
        }
      }
    }
    assertThat(cookies).containsExactly(0xABCL, 0xABCL);
    assertThatThrownBy(() -> Uprobe.atOffset(libc, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive offset");
  }

  @Test
  void handlerFailuresAreCountedNotPropagated() throws Throwable {
    Path libc = FeatureProber.mappedLibc().orElseThrow();
    try (BpfObject obj = open()) {
      obj.setConstant("target_tid", tid());
      obj.program("copy_magic").setAutoload(false);
      obj.program("on_return").setAutoload(false);
      obj.load();
      try (BpfLink in =
              obj.program("on_entry").attachUprobe(Uprobe.entry(libc, "getpid").withPid(SELF));
          RingBuffer rb =
              RingBuffer.open(
                  obj.map("records"),
                  (addr, size) -> {
                    throw new IllegalStateException("handler bug");
                  })) {
        int unused = (int) GETPID.invokeExact();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rb.records() < 1 && System.nanoTime() < deadline) {
          rb.poll(50);
        }
        assertThat(rb.failed()).isEqualTo(1);
        assertThat(rb.poll(0)).isZero();
      }
    }
  }

  @Test
  void verifierRejectionCarriesTheLog() {
    try (BpfObject obj = open()) {
      for (BpfProgram p : obj.programs()) {
        p.setAutoload(p.name().equals("rejected"));
      }
      assertThatThrownBy(obj::load)
          .isInstanceOf(BpfLoadException.class)
          .satisfies(
              e -> {
                BpfLoadException le = (BpfLoadException) e;
                assertThat(le.program()).isEqualTo("rejected");
                assertThat(le.errno()).isEqualTo(Errno.EACCES);
                assertThat(le.verifierLog()).contains("invalid mem access");
              });
    }
  }

  @Test
  void closingRemovesProgramsLinksAndMapsFromTheKernel() {
    BpfObject obj = loaded();
    BpfLink link = obj.program("copy_magic").attachTrace();
    int prog = obj.program("copy_magic").id();
    int linkId = link.id();
    List<Integer> maps = obj.maps().stream().map(BpfMap::id).toList();
    assertThat(ProgramInfo.programIds()).contains(prog);
    assertThat(ProgramInfo.linkIds()).contains(linkId);
    assertThat(ProgramInfo.mapIds()).containsAll(maps);
    obj.close();
    obj.close();
    link.close();
    KernelIds.awaitGone("programs", ProgramInfo::programIds, List.of(prog));
    KernelIds.awaitGone("links", ProgramInfo::linkIds, List.of(linkId));
    KernelIds.awaitGone("maps", ProgramInfo::mapIds, maps);
    assertThatThrownBy(() -> obj.map("hash_map").fd()).isInstanceOf(IllegalStateException.class);
  }

  private static BpfObject loaded() {
    BpfObject obj = open();
    obj.program("on_entry").setAutoload(false);
    obj.program("on_return").setAutoload(false);
    obj.load();
    return obj;
  }
}
