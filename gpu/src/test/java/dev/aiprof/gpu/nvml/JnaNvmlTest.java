package dev.aiprof.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.gpu.nvml.Nvml.Clock;
import dev.aiprof.gpu.nvml.Nvml.Device;
import dev.aiprof.gpu.nvml.Nvml.PcieCounter;
import dev.aiprof.testing.FakeNvml;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binding against the fake libnvidia-ml.so.1 (NVML's C ABI, our own declarations): every
 * reading decodes what the fake's scripted system holds.
 */
class JnaNvmlTest {
  @TempDir Path tmp;

  @Test
  void readsTheDgxH100System() {
    try (JnaNvml nvml = FakeLibrary.open("dgxh100", null)) {
      assertThat(nvml.driverVersion()).isEqualTo("575.57.08");
      assertThat(nvml.nvmlVersion()).isEqualTo("12.575.57.08");
      assertThat(nvml.deviceCount()).isEqualTo(8);
      Device d = nvml.handleByIndex(3);
      assertThat(nvml.name(d)).isEqualTo("NVIDIA H100 80GB HBM3");
      assertThat(nvml.uuid(d)).startsWith("GPU-").hasSize(40);
      assertThat(nvml.uuid(d)).isNotEqualTo(nvml.uuid(nvml.handleByIndex(4)));
      assertThat(nvml.pciInfo(d))
          .isEqualTo(new Nvml.Pci("00000000:5D:00.0", 0, 0x5d, 0, 0x233010de, 0x16c110de));
      assertThat(nvml.memory(d))
          .isEqualTo(new Nvml.Memory(81559L << 20, 529L << 20, 81030L << 20, 0));
      assertThat(nvml.powerLimitMilliwatts(d)).isEqualTo(700_000);
      assertThat(nvml.migMode(d)).isEqualTo(new Nvml.MigMode(0, 0));
    }
  }

  @Test
  void followsTheScriptStepByStep() {
    Path script =
        FakeLibrary.script(
            tmp,
            "util 0 10,20,95\nmemutil 0 5,6,7\nproc 0 4242 1024 50 20\nproc 0 4343 2048 30 10 1 -1\n");
    try (JnaNvml nvml = FakeLibrary.open("dgxh100", script)) {
      Device d = nvml.handleByIndex(0);
      assertThat(nvml.utilization(d)).isEqualTo(new Nvml.Utilization(10, 5));
      assertThat(nvml.clockMhz(d, Clock.SM)).isEqualTo(1980);
      assertThat(nvml.clockMhz(d, Clock.MEMORY)).isEqualTo(2619);
      assertThat(nvml.powerMilliwatts(d)).isEqualTo(69_000 + 10 * (700_000 - 69_000) / 100);
      assertThat(nvml.temperature(d)).isEqualTo(35);
      assertThat(nvml.pcieThroughputKBps(d, PcieCounter.TX)).isEqualTo(1200);
      assertThat(nvml.pcieThroughputKBps(d, PcieCounter.RX)).isEqualTo(2500);
      assertThat(nvml.clockEventReasons(d)).isZero();
      assertThat(nvml.computeProcesses(d))
          .containsExactly(new Nvml.Process(4242, 1L << 30, -1, -1));
      long e0 = nvml.energyMillijoules(d);

      assertThat(nvml.utilization(d).gpu()).isEqualTo(20);
      assertThat(nvml.computeProcesses(d))
          .extracting(Nvml.Process::pid)
          .containsExactly(4242, 4343);
      assertThat(nvml.memory(d).used()).isEqualTo(3L << 30);
      assertThat(nvml.processUtilization(d, 0))
          .extracting(s -> List.of(s.pid(), s.sm(), s.memory()))
          .containsExactly(List.of(4242, 50, 20), List.of(4343, 30, 10));
      assertThat(nvml.energyMillijoules(d) - e0).isEqualTo(69_000 + 20 * (700_000 - 69_000) / 100);

      assertThat(nvml.utilization(d).gpu()).isEqualTo(95);
      assertThat(nvml.clockEventReasons(d)).isEqualTo(0x4L); // SW power cap
      assertThat(nvml.utilization(d).gpu()).as("the last value holds").isEqualTo(95);
      assertThat(nvml.utilization(nvml.handleByIndex(1)).gpu()).isZero();
      assertThat(nvml.clockEventReasons(nvml.handleByIndex(1))).isEqualTo(0x1L); // idle
    }
  }

  @Test
  void readsNvlinkThroughFieldValues() {
    Path script = FakeLibrary.script(tmp, "util 2 50\n");
    try (JnaNvml nvml = FakeLibrary.open("dgxh100", script)) {
      Device d = nvml.handleByIndex(2);
      nvml.utilization(d);
      List<Nvml.FieldValue> v =
          nvml.fieldValues(
              d,
              FieldIds.NVLINK_LINK_COUNT,
              FieldIds.NVLINK_TX_KIB,
              FieldIds.NVLINK_RX_KIB,
              FieldIds.NVLINK_REPLAY_ERRORS,
              7777);
      assertThat(v).extracting(Nvml.FieldValue::fieldId).containsExactly(91, 138, 139, 52, 7777);
      assertThat(v).extracting(Nvml.FieldValue::value).startsWith(18.0, 50.0 * 4096 * 18);
      assertThat(v.get(2).value()).isEqualTo(50.0 * 3072 * 18);
      assertThat(v.get(3).value()).isEqualTo(3.0);
      assertThat(v.get(4).status()).isEqualTo(NvmlReturn.ERROR_NOT_SUPPORTED);
      assertThat(v.get(0).timestampUs()).isGreaterThan(1_600_000_000_000_000L);
    }
  }

  @Test
  void readsMigDevicesAsTheirOwn() {
    Path script = FakeLibrary.script(tmp, "proc 0 777 4096 0 0 0 -1 5 0\n");
    try (JnaNvml nvml = FakeLibrary.open("a100-mig", script)) {
      assertThat(nvml.deviceCount()).isEqualTo(1);
      Device gpu = nvml.handleByIndex(0);
      assertThat(nvml.name(gpu)).isEqualTo("NVIDIA A100-SXM4-40GB");
      assertThat(nvml.migMode(gpu)).isEqualTo(new Nvml.MigMode(1, 1));
      assertThat(nvml.maxMigDeviceCount(gpu)).isEqualTo(7);
      Device a = nvml.migDevice(gpu, 0).orElseThrow();
      Device b = nvml.migDevice(gpu, 1).orElseThrow();
      assertThat(nvml.migDevice(gpu, 2)).isEmpty();
      assertThat(nvml.name(a)).isEqualTo("NVIDIA A100-SXM4-40GB MIG 3g.20gb");
      assertThat(nvml.uuid(b)).startsWith("MIG-");
      assertThat(List.of(nvml.gpuInstanceId(a), nvml.gpuInstanceId(b))).containsExactly(1, 5);
      assertThat(nvml.computeInstanceId(b)).isZero();
      assertThat(nvml.memory(b).total()).isEqualTo(9856L << 20);
      assertThat(nvml.memory(b).used()).isEqualTo(4096L << 20);
      assertThat(nvml.memory(a).used()).isZero();
      assertThat(nvml.computeProcesses(b))
          .containsExactly(new Nvml.Process(777, 4096L << 20, 5, 0));
      assertThatThrownBy(() -> nvml.utilization(a))
          .isInstanceOfSatisfying(
              NvmlException.class,
              e -> assertThat(e.code()).isEqualTo(NvmlReturn.ERROR_NOT_SUPPORTED));
      assertThatThrownBy(() -> nvml.processUtilization(gpu, 0))
          .hasMessageContaining("Not Supported")
          .hasMessageContaining("NVML_ERROR_NOT_SUPPORTED");
    }
  }

  @Test
  void deliversXidEventsAndLosesADevice() {
    Path script = FakeLibrary.script(tmp, "xid 2 79 1\nlost 2 1\n");
    try (JnaNvml nvml = FakeLibrary.open("dgxh100", script)) {
      Device d = nvml.handleByIndex(2);
      long set = nvml.eventSetCreate();
      nvml.registerEvents(set, d, Nvml.EVENT_XID);
      assertThat(nvml.eventWait(set, 10)).isEmpty();
      nvml.utilization(d); // step 0
      assertThat(nvml.name(d)).isEqualTo("NVIDIA H100 80GB HBM3");
      assertThatThrownBy(() -> nvml.utilization(d)) // step 1: lost
          .isInstanceOfSatisfying(
              NvmlException.class,
              e -> {
                assertThat(e.code()).isEqualTo(NvmlReturn.ERROR_GPU_IS_LOST);
                assertThat(e.getMessage()).contains("GPU is lost");
              });
      assertThatThrownBy(() -> nvml.name(d)).isInstanceOf(NvmlException.class);
      assertThat(nvml.name(nvml.handleByIndex(3))).as("the others go on").isNotEmpty();
      nvml.eventSetFree(set);
    }
  }

  @Test
  void waitsForAnXidOnItsOwnThread() throws Exception {
    Path script = FakeLibrary.script(tmp, "xid 4 48 2\n");
    try (JnaNvml nvml = FakeLibrary.open("dgxh100", script)) {
      Device d = nvml.handleByIndex(4);
      long set = nvml.eventSetCreate();
      nvml.registerEvents(set, d, Nvml.EVENT_XID);
      var waiter =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> nvml.eventWait(set, 5000));
      for (int i = 0; i < 3; i++) {
        nvml.utilization(d);
      }
      Nvml.Event e = waiter.get().orElseThrow();
      assertThat(e.device()).isEqualTo(d);
      assertThat(e.type()).isEqualTo(Nvml.EVENT_XID);
      assertThat(e.data()).isEqualTo(48);
      nvml.eventSetFree(set);
    }
  }

  @Test
  void anOlderDriverLacksSomeFunctionsOnly() {
    Path script = FakeLibrary.script(tmp, "util 0 40\nproc 0 9 512 1 1\n");
    try (JnaNvml nvml = FakeLibrary.open(FakeNvml.old(), "dgxh100", script)) {
      Device d = nvml.handleByIndex(0);
      assertThat(nvml.has("nvmlDeviceGetMemoryInfo_v2")).isFalse();
      assertThat(nvml.utilization(d).gpu()).isEqualTo(40);
      Nvml.Memory m = nvml.memory(d);
      assertThat(m.reserved()).as("v1: unknown").isEqualTo(-1);
      assertThat(m.used()).isEqualTo((512L + 529) << 20);
      assertThat(nvml.clockEventReasons(d)).as("the older name").isZero();
      assertThatThrownBy(() -> nvml.computeProcesses(d))
          .isInstanceOfSatisfying(
              NvmlException.class,
              e -> {
                assertThat(e.code()).isEqualTo(NvmlReturn.ERROR_FUNCTION_NOT_FOUND);
                assertThat(e.function()).isEqualTo("nvmlDeviceGetComputeRunningProcesses_v3");
                assertThat(e.getMessage()).contains("older driver");
              });
      assertThatThrownBy(() -> nvml.eventWait(nvml.eventSetCreate(), 1))
          .isInstanceOf(NvmlException.class);
    }
  }

  @Test
  void findsTheLibraryByItsExactNameOnTheLibraryPath() {
    assertThat(Path.of(System.getProperty("jna.library.path")).normalize())
        .isEqualTo(FakeNvml.current().toAbsolutePath().normalize());
    dev.aiprof.testing.Libc.setenv(FakeNvml.SYSTEM_ENV, "a100-mig");
    try (JnaNvml nvml = JnaNvml.load(Optional.empty())) {
      nvml.init();
      // The dynamic loader answers a name with a library of that soname already loaded: where
      // another test of this JVM loaded the older variant first, that is the one found.
      assertThat(nvml.file()).matches(".*/fake-nvml/(current|old)/libnvidia-ml\\.so\\.1");
      assertThat(nvml.deviceCount()).isEqualTo(1);
    }
  }

  @Test
  void noDriverFailsInitWithNvmlsCode() {
    dev.aiprof.testing.Libc.setenv(FakeNvml.SYSTEM_ENV, "nodriver");
    try (JnaNvml nvml = JnaNvml.load(Optional.of(FakeNvml.current().resolve(JnaNvml.LIBRARY)))) {
      assertThatThrownBy(nvml::init)
          .isInstanceOfSatisfying(
              NvmlException.class,
              e -> assertThat(e.code()).isEqualTo(NvmlReturn.ERROR_DRIVER_NOT_LOADED))
          .hasMessage("nvmlInit_v2: Driver Not Loaded (NVML_ERROR_DRIVER_NOT_LOADED)");
    }
  }

  @Test
  void aMissingLibraryIsLibraryNotFound() {
    assertThatThrownBy(() -> JnaNvml.load(Optional.of(tmp.resolve("libnvidia-ml.so.1"))))
        .isInstanceOfSatisfying(
            NvmlException.class,
            e -> assertThat(e.code()).isEqualTo(NvmlReturn.ERROR_LIBRARY_NOT_FOUND))
        .hasMessageContaining("cannot load " + tmp.resolve("libnvidia-ml.so.1"));
  }
}
