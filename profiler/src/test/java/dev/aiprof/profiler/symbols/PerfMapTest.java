package dev.aiprof.profiler.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerfMapTest {
  @Test
  void parsesTheJvmsAndPythonsFormats() throws Exception {
    PerfMap m =
        PerfMap.parse(
            new StringReader(
                """
                0x00007f5263eebf00 0x0000000000000158 long dev.aiprof.profiler.HotJvm.spin(long)
                7f0000001000 40 py::main:/app/x.py
                not a line
                7f0000002000 zz bad size
                7f0000003000 0 empty
                """));
    assertThat(m.size()).isEqualTo(2);
    Frame jvm = m.resolve(0x00007f5263eebf10L);
    assertThat(jvm.function()).isEqualTo("long dev.aiprof.profiler.HotJvm.spin(long)");
    assertThat(jvm.module()).isEqualTo("[jit]");
    assertThat(jvm.offset()).isEqualTo(0x10);
    assertThat(m.resolve(0x7f000000103fL).function()).isEqualTo("py::main:/app/x.py");
    assertThat(m.resolve(0x7f0000001040L)).as("one past the end").isNull();
    assertThat(m.resolve(0x7f0000003000L)).isNull();
  }

  @Test
  void theNamespacePidIsTheLastNsPidField() {
    assertThat(PerfMaps.namespacePid(List.of("Name:\tjava", "NSpid:\t4242\t17"), 4242))
        .isEqualTo(17);
    assertThat(PerfMaps.namespacePid(List.of("NSpid:\t4242"), 4242)).isEqualTo(4242);
    assertThat(PerfMaps.namespacePid(List.of("Name:\tx"), 9)).isEqualTo(9);
  }

  @Test
  void theMapIsReadThroughTheProcessRoot(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("4242/root/tmp"));
    Files.writeString(proc.resolve("4242/status"), "NSpid:\t4242\t7\n");
    Files.writeString(proc.resolve("4242/root/tmp/perf-7.map"), "1000 10 f\n");
    HostPaths paths = new HostPaths(proc, proc, proc);
    assertThat(PerfMaps.path(paths, 4242)).isEqualTo(proc.resolve("4242/root/tmp/perf-7.map"));
    assertThat(PerfMaps.read(paths, 4242).resolve(0x1004).function()).isEqualTo("f");
    assertThat(PerfMaps.read(paths, 99)).isNull();
  }
}
