package dev.aiprof.custom.usdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.custom.bcc.Bcc;
import dev.aiprof.custom.bcc.UsdtProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsdtTargetTest {
  @TempDir Path dir;

  @Test
  void parsesBinaryAndPidEntries() {
    List<UsdtTarget> t =
        UsdtTarget.parseList(
            "usdt.probes", "/usr/lib/libc.so.6:libc:setjmp, pid=42:python:function__entry,");
    assertThat(t)
        .containsExactly(
            new UsdtTarget(Path.of("/usr/lib/libc.so.6"), 0, "libc", "setjmp"),
            new UsdtTarget(null, 42, "python", "function__entry"));
    assertThat(t.get(1)).hasToString("pid=42:python:function__entry");
  }

  @Test
  void rejectsWhatIsNotAnEntryNamingTheKeyAndTheFix() {
    for (String bad :
        List.of(
            "libc:setjmp",
            "/bin/x:p:",
            "/bin/x::n",
            "rel/x:p:n",
            "pid=0:p:n",
            "pid=x:p:n",
            ":p:n")) {
      assertThatThrownBy(() -> UsdtTarget.parse("usdt.probes", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("usdt.probes")
          .hasMessageContaining(bad);
    }
  }

  @Test
  void starMatchesAnyProviderOrName() {
    UsdtProbe p = new UsdtProbe("jvm", "gc__begin", Path.of("/x"), 0, List.of(1L), 0);
    assertThat(new UsdtTarget(Path.of("/x"), 0, "jvm", "*").matches(p)).isTrue();
    assertThat(new UsdtTarget(Path.of("/x"), 0, "*", "gc__begin").matches(p)).isTrue();
    assertThat(new UsdtTarget(Path.of("/x"), 0, "jvm", "gc__end").matches(p)).isFalse();
  }

  @Test
  void anEntryThatMatchesNothingSaysWhatTheBinaryHas() throws Exception {
    Path bin = Files.createFile(dir.resolve("app"));
    Bcc bcc =
        new Bcc() {
          @Override
          public List<UsdtProbe> usdtProbes(Path binary) {
            return List.of(
                new UsdtProbe("app", "start", binary, 0, List.of(1L), 0),
                new UsdtProbe("app", "stop", binary, 0, List.of(2L), 0));
          }

          @Override
          public List<UsdtProbe> usdtProbes(int pid) {
            return List.of();
          }

          @Override
          public long compile(String source, List<String> cflags) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void destroy(long module) {}
        };
    assertThat(UsdtCollector.select(bcc, new UsdtTarget(bin, 0, "app", "stop")))
        .extracting(UsdtProbe::id)
        .containsExactly("app:stop");
    assertThatThrownBy(() -> UsdtCollector.select(bcc, new UsdtTarget(bin, 0, "app", "pause")))
        .hasMessageContaining("matches no USDT probe")
        .hasMessageContaining("app:start, app:stop");
    assertThatThrownBy(
            () -> UsdtCollector.select(bcc, new UsdtTarget(dir.resolve("gone"), 0, "a", "b")))
        .hasMessageContaining("no such file");
  }

  @Test
  void aProcesssBinaryIsNamedAsTheProcessSeesIt() {
    assertThat(UsdtCollector.binary(Path.of("/proc/123/root/usr/bin/app")))
        .isEqualTo("/usr/bin/app");
    assertThat(UsdtCollector.binary(Path.of("/usr/bin/app"))).isEqualTo("/usr/bin/app");
  }
}
