package dev.aiprof.gpu.nvml;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Nvml} over JNA: {@code libnvidia-ml.so.1} loaded by that exact name (found as the dynamic
 * loader finds it, or in {@code jna.library.path}), or a file the user names. Each function is
 * looked up on its first call ({@link Symbols}); one the library lacks throws {@link
 * NvmlReturn#ERROR_FUNCTION_NOT_FOUND} from the readings that need it. Struct decoding lives in
 * {@link Structs}. Thread-safe: out-parameters live in each thread's own {@link Scratch} buffer (no
 * native allocation per call), decoded before the thread's next call.
 */
public final class JnaNvml implements Nvml {
  /** The library's file name, as the driver installs it. */
  public static final String LIBRARY = "libnvidia-ml.so.1";

  private static final int STRING_BUFFER = 96;

  private final Symbols symbols;
  private final AtomicBoolean initialized = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private JnaNvml(Symbols symbols) {
    this.symbols = symbols;
  }

  /**
   * Loads the library: {@code file} when given, else {@link #LIBRARY} by name.
   *
   * @throws NvmlException {@link NvmlReturn#ERROR_LIBRARY_NOT_FOUND} when it cannot be loaded
   */
  public static JnaNvml load(Optional<Path> file) {
    String name = file.map(p -> p.toAbsolutePath().toString()).orElse(LIBRARY);
    try {
      return new JnaNvml(new Symbols(NativeLibrary.getInstance(name)));
    } catch (UnsatisfiedLinkError e) {
      throw new NvmlException(
          "dlopen",
          NvmlReturn.ERROR_LIBRARY_NOT_FOUND,
          "cannot load " + name + " (" + reason(e.getMessage()) + ")");
    }
  }

  /** The loaded file. */
  public String file() {
    return symbols.file();
  }

  /** Whether the library exports {@code function} (what an older driver lacks). */
  public boolean has(String function) {
    return symbols.has(function);
  }

  @Override
  public void init() {
    call("nvmlInit_v2");
    initialized.set(true);
  }

  @Override
  public String driverVersion() {
    return string("nvmlSystemGetDriverVersion");
  }

  @Override
  public String nvmlVersion() {
    return string("nvmlSystemGetNVMLVersion");
  }

  @Override
  public String errorString(NvmlReturn code) {
    return symbols
        .find("nvmlErrorString")
        .map(f -> f.invokeString(new Object[] {code.code()}, false))
        .orElse(code.symbol());
  }

  @Override
  public int deviceCount() {
    Pointer out = Scratch.get().small(4);
    call("nvmlDeviceGetCount_v2", out);
    return out.getInt(0);
  }

  @Override
  public Device handleByIndex(int index) {
    Pointer out = Scratch.get().small(8);
    call("nvmlDeviceGetHandleByIndex_v2", index, out);
    return new Device(Pointer.nativeValue(out.getPointer(0)));
  }

  @Override
  public String uuid(Device d) {
    return string("nvmlDeviceGetUUID", ptr(d));
  }

  @Override
  public String name(Device d) {
    return string("nvmlDeviceGetName", ptr(d));
  }

  @Override
  public Pci pciInfo(Device d) {
    return Structs.pci(struct("nvmlDeviceGetPciInfo_v3", d, Structs.PCI_INFO));
  }

  @Override
  public Utilization utilization(Device d) {
    return Structs.utilization(struct("nvmlDeviceGetUtilizationRates", d, Structs.UTILIZATION));
  }

  /** v2 (with reserved memory) where the library has it, else v1. */
  @Override
  public Memory memory(Device d) {
    if (!symbols.has("nvmlDeviceGetMemoryInfo_v2")) {
      return Structs.memoryV1(struct("nvmlDeviceGetMemoryInfo", d, Structs.MEMORY_V1));
    }
    Pointer m = Scratch.get().small(Structs.MEMORY_V2);
    m.setInt(0, Structs.MEMORY_V2_VERSION);
    call("nvmlDeviceGetMemoryInfo_v2", ptr(d), m);
    return Structs.memoryV2(buffer(m, Structs.MEMORY_V2));
  }

  @Override
  public int powerMilliwatts(Device d) {
    return uint("nvmlDeviceGetPowerUsage", d);
  }

  @Override
  public int powerLimitMilliwatts(Device d) {
    return uint("nvmlDeviceGetEnforcedPowerLimit", d);
  }

  @Override
  public long energyMillijoules(Device d) {
    return ulong("nvmlDeviceGetTotalEnergyConsumption", d);
  }

  @Override
  public int temperature(Device d) {
    return uint("nvmlDeviceGetTemperature", d, 0);
  }

  @Override
  public int clockMhz(Device d, Clock clock) {
    return uint("nvmlDeviceGetClockInfo", d, clock.ordinal());
  }

  /** {@code nvmlDeviceGetCurrentClocksEventReasons}, or its older name (same bits). */
  @Override
  public long clockEventReasons(Device d) {
    String f = "nvmlDeviceGetCurrentClocksEventReasons";
    return ulong(symbols.has(f) ? f : "nvmlDeviceGetCurrentClocksThrottleReasons", d);
  }

  @Override
  public int pcieThroughputKBps(Device d, PcieCounter counter) {
    return uint("nvmlDeviceGetPcieThroughput", d, counter.ordinal());
  }

  @Override
  public List<FieldValue> fieldValues(Device d, int... fieldIds) {
    int size = Structs.FIELD_VALUE * fieldIds.length;
    Pointer m = Scratch.get().large(size);
    ByteBuffer b = buffer(m, size);
    Structs.fieldRequest(b, fieldIds);
    call("nvmlDeviceGetFieldValues", ptr(d), fieldIds.length, m);
    List<FieldValue> out = new ArrayList<>(fieldIds.length);
    for (int i = 0; i < fieldIds.length; i++) {
      out.add(Structs.fieldValue(b, i));
    }
    return out;
  }

  @Override
  public List<Process> computeProcesses(Device d) {
    ByteBuffer b =
        twoCalls(
            n -> new Object[] {ptr(d), n.count, n.buffer},
            "nvmlDeviceGetComputeRunningProcesses_v3",
            Structs.PROCESS_INFO);
    List<Process> out = new ArrayList<>();
    for (int i = 0; i < b.limit() / Structs.PROCESS_INFO; i++) {
      out.add(Structs.process(b, i));
    }
    return out;
  }

  @Override
  public List<ProcessSample> processUtilization(Device d, long lastSeenUs) {
    ByteBuffer b;
    try {
      b =
          twoCalls(
              n -> new Object[] {ptr(d), n.buffer, n.count, lastSeenUs},
              "nvmlDeviceGetProcessUtilization",
              Structs.PROCESS_SAMPLE);
    } catch (NvmlException e) {
      if (e.code() == NvmlReturn.ERROR_NOT_FOUND) {
        return List.of();
      }
      throw e;
    }
    List<ProcessSample> out = new ArrayList<>();
    for (int i = 0; i < b.limit() / Structs.PROCESS_SAMPLE; i++) {
      out.add(Structs.processSample(b, i));
    }
    return out;
  }

  @Override
  public MigMode migMode(Device d) {
    Pointer m = Scratch.get().small(8);
    call("nvmlDeviceGetMigMode", ptr(d), m, m.share(4));
    return new MigMode(m.getInt(0), m.getInt(4));
  }

  @Override
  public int maxMigDeviceCount(Device d) {
    return uint("nvmlDeviceGetMaxMigDeviceCount", d);
  }

  @Override
  public Optional<Device> migDevice(Device d, int index) {
    Pointer out = Scratch.get().small(8);
    int rc = raw("nvmlDeviceGetMigDeviceHandleByIndex", ptr(d), index, out);
    if (rc == NvmlReturn.ERROR_NOT_FOUND.code()) {
      return Optional.empty();
    }
    check("nvmlDeviceGetMigDeviceHandleByIndex", rc);
    return Optional.of(new Device(Pointer.nativeValue(out.getPointer(0))));
  }

  @Override
  public int gpuInstanceId(Device d) {
    return uint("nvmlDeviceGetGpuInstanceId", d);
  }

  @Override
  public int computeInstanceId(Device d) {
    return uint("nvmlDeviceGetComputeInstanceId", d);
  }

  @Override
  public long eventSetCreate() {
    Pointer out = Scratch.get().small(8);
    call("nvmlEventSetCreate", out);
    return Pointer.nativeValue(out.getPointer(0));
  }

  @Override
  public void registerEvents(long set, Device d, long types) {
    call("nvmlDeviceRegisterEvents", ptr(d), types, new Pointer(set));
  }

  @Override
  public Optional<Event> eventWait(long set, int timeoutMs) {
    Pointer m = Scratch.get().small(Structs.EVENT_DATA);
    int rc = raw("nvmlEventSetWait_v2", new Pointer(set), m, timeoutMs);
    if (rc == NvmlReturn.ERROR_TIMEOUT.code()) {
      return Optional.empty();
    }
    check("nvmlEventSetWait_v2", rc);
    return Optional.of(Structs.event(buffer(m, Structs.EVENT_DATA)));
  }

  @Override
  public void eventSetFree(long set) {
    call("nvmlEventSetFree", new Pointer(set));
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && initialized.get()) {
      raw("nvmlShutdown");
    }
  }

  /** The out-parameters of one attempt of a two-call function. */
  private record Attempt(Pointer count, Pointer buffer) {}

  private interface Args {
    Object[] of(Attempt a);
  }

  /**
   * NVML's two-call pattern: ask with no buffer, learn the count from {@code
   * NVML_ERROR_INSUFFICIENT_SIZE}, ask again with room (and a little more, for what arrived
   * meanwhile); the buffer returned is limited to the entries filled in.
   */
  private ByteBuffer twoCalls(Args args, String function, int entry) {
    Pointer count = Scratch.get().small(4);
    int rc = raw(function, args.of(new Attempt(count, Pointer.NULL)));
    for (int attempt = 0; attempt < 4; attempt++) {
      if (rc == NvmlReturn.SUCCESS.code()) {
        break;
      }
      if (rc != NvmlReturn.ERROR_INSUFFICIENT_SIZE.code()) {
        check(function, rc);
      }
      int room = count.getInt(0) + 4;
      Pointer buf = Scratch.get().large((long) room * entry);
      count.setInt(0, room);
      rc = raw(function, args.of(new Attempt(count, buf)));
      if (rc == NvmlReturn.SUCCESS.code()) {
        return buffer(buf, (long) room * entry).limit(count.getInt(0) * entry);
      }
    }
    check(function, rc);
    return ByteBuffer.allocate(0);
  }

  private String string(String function, Object... leading) {
    Pointer buf = Scratch.get().small(STRING_BUFFER);
    Object[] args = new Object[leading.length + 2];
    System.arraycopy(leading, 0, args, 0, leading.length);
    args[leading.length] = buf;
    args[leading.length + 1] = STRING_BUFFER;
    call(function, args);
    return Structs.cString(buffer(buf, STRING_BUFFER), 0, STRING_BUFFER);
  }

  private ByteBuffer struct(String function, Device d, int size) {
    Pointer m = Scratch.get().small(size);
    call(function, ptr(d), m);
    return buffer(m, size);
  }

  private int uint(String function, Device d, Object... extra) {
    Pointer m = Scratch.get().small(4);
    call(function, with(ptr(d), extra, m));
    return m.getInt(0);
  }

  private long ulong(String function, Device d) {
    Pointer m = Scratch.get().small(8);
    call(function, ptr(d), m);
    return m.getLong(0);
  }

  private static Object[] with(Object first, Object[] middle, Object last) {
    Object[] a = new Object[middle.length + 2];
    a[0] = first;
    System.arraycopy(middle, 0, a, 1, middle.length);
    a[a.length - 1] = last;
    return a;
  }

  private void call(String function, Object... args) {
    check(function, raw(function, args));
  }

  private int raw(String function, Object... args) {
    Optional<Function> f = symbols.find(function);
    if (f.isEmpty()) {
      return NvmlReturn.ERROR_FUNCTION_NOT_FOUND.code();
    }
    return f.get().invokeInt(args);
  }

  private void check(String function, int rc) {
    if (rc != NvmlReturn.SUCCESS.code()) {
      NvmlReturn code = NvmlReturn.of(rc);
      String text =
          code == NvmlReturn.ERROR_FUNCTION_NOT_FOUND && !symbols.has(function)
              ? "not in " + symbols.file() + " (an older driver)"
              : errorString(code);
      throw new NvmlException(function, code, text);
    }
  }

  private static Pointer ptr(Device d) {
    return new Pointer(d.handle());
  }

  private static ByteBuffer buffer(Pointer m, long size) {
    return Structs.wrap(m.getByteBuffer(0, size));
  }

  /** The loader's own words from JNA's message (its first line only says which library). */
  private static String reason(String s) {
    if (s == null) {
      return "";
    }
    return s.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("Unable to load library"))
        .findFirst()
        .orElse(s.lines().findFirst().orElse(""));
  }
}
