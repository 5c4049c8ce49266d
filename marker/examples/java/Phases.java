import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * aiprof markers from Java through JNA: an epoch of two steps, each loading then computing.
 *
 * <p>Run (JDK 22+ runs a source file directly): {@code java --enable-native-access=ALL-UNNAMED -cp
 * jna-5.19.1.jar Phases.java /path/to/libaiprof.so}. Prints each marker call with the thread id
 * and the CLOCK_MONOTONIC readings (System.nanoTime on Linux) just before and after it.
 */
public class Phases {
  /** The marker library's C ABI (include/aiprof.h). */
  public interface AiProf extends Library {
    int aiprof_abi_version();

    void aiprof_phase_begin(String name);

    void aiprof_phase_end();
  }

  /** For the thread id the kernel reports (not Java's own thread id). */
  public interface LibC extends Library {
    int gettid();
  }

  static AiProf aiprof;
  static final LibC LIBC = Native.load("c", LibC.class);

  /** A phase that ends when the try-with-resources block does. */
  record Phase(String name) implements AutoCloseable {
    static Phase begin(String name) {
      long before = System.nanoTime();
      aiprof.aiprof_phase_begin(name);
      print("begin", name, before);
      return new Phase(name);
    }

    @Override
    public void close() {
      long before = System.nanoTime();
      aiprof.aiprof_phase_end();
      print("end", name, before);
    }
  }

  static void print(String what, String name, long before) {
    long after = System.nanoTime();
    System.out.println(what + " " + name + " tid=" + LIBC.gettid() + " mono=" + before + ".." + after);
  }

  public static void main(String[] args) throws InterruptedException {
    aiprof = Native.load(args.length > 0 ? args[0] : "aiprof", AiProf.class);
    System.out.println("pid=" + ProcessHandle.current().pid() + " abi=" + aiprof.aiprof_abi_version());
    try (Phase _ = Phase.begin("epoch")) {
      for (int step = 0; step < 2; step++) {
        try (Phase _ = Phase.begin("load")) {
          Thread.sleep(20);
        }
        try (Phase _ = Phase.begin("compute")) {
          Thread.sleep(30);
        }
      }
    }
  }
}
