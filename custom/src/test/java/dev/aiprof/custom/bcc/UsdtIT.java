package dev.aiprof.custom.bcc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** USDT discovery through the real libbcc, and our counting program attached at the sites. */
@Requires(
    root = true,
    tools = "gcc",
    files = {"/usr/include/x86_64-linux-gnu/sys/sdt.h"})
@NoBpfLeaks
class UsdtIT {
  static final int N = 1001;

  static Path fixture(String variant, String... flags) throws Exception {
    Path out = Path.of("target", "test-c", "usdt_probes" + variant).toAbsolutePath();
    if (!Files.exists(out)) {
      Files.createDirectories(out.getParent());
      List<String> cmd = new java.util.ArrayList<>(List.of("gcc", "-O1", "-o", out.toString()));
      cmd.addAll(List.of(flags));
      cmd.add("src/test/c/usdt_probes.c");
      assertThat(new ProcessBuilder(cmd).inheritIO().start().waitFor()).isZero();
    }
    return out;
  }

  @Test
  void discoversTheProbesOfABinaryAndCountsTheirHitsExactly() throws Exception {
    Bcc bcc = JnaBcc.load();
    for (Path bin : List.of(fixture("-pie"), fixture("-nopie", "-no-pie"))) {
      List<UsdtProbe> probes = bcc.usdtProbes(bin);
      assertThat(probes)
          .extracting(UsdtProbe::id)
          .containsExactlyInAnyOrder("aiprof_test:tick", "aiprof_test:guarded");
      UsdtProbe tick =
          probes.stream().filter(p -> p.name().equals("tick")).findFirst().orElseThrow();
      UsdtProbe guarded =
          probes.stream().filter(p -> p.name().equals("guarded")).findFirst().orElseThrow();
      assertThat(tick.locations()).hasSize(2);
      assertThat(guarded.semaphoreOffset()).isPositive();

      Process p = new ProcessBuilder(bin.toString(), Integer.toString(N)).start();
      try (OutputStream in = p.getOutputStream();
          BufferedReader out =
              new BufferedReader(
                  new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        assertThat(out.readLine()).isEqualTo("ready");
        assertThat(bcc.usdtProbes((int) p.pid()))
            .extracting(UsdtProbe::id)
            .contains("aiprof_test:tick", "aiprof_test:guarded");
        try (UsdtCounter c = UsdtCounter.attach(probes, (int) p.pid())) {
          assertThat(c.sites()).isEqualTo(3);
          in.write("go\n".getBytes(StandardCharsets.UTF_8));
          in.flush();
          // the fixture fired guarded only because the attached counter raised its semaphore
          assertThat(out.readLine()).isEqualTo("done " + N);
          assertThat(c.hits(tick)).isEqualTo(N);
          assertThat(c.hits(guarded)).isEqualTo(N);
        }
      } finally {
        p.destroyForcibly().waitFor();
      }
    }
  }
}
