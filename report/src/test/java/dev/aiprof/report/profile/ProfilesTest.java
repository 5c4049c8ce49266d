package dev.aiprof.report.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ProfilesTest {
  static final long T0 = 1_796_000_000_000_000_000L;
  static final long S = 1_000_000_000L;
  @TempDir Path dir;

  /** A window directory as the profile collector writes it, with its manifest. */
  public static Path window(Path root, String name, long start, long end, String alpha, String wait)
      throws Exception {
    Path w = Files.createDirectories(root.resolve(name));
    Files.writeString(w.resolve("cpu.folded"), alpha);
    Files.writeString(w.resolve("phase-decode_1.folded"), alpha);
    Files.writeString(w.resolve("offcpu-phase-decode_1.folded"), wait);
    Files.writeString(
        w.resolve("profile.json"),
        "{\"version\":1,\"startUnixNano\":"
            + start
            + ",\"endUnixNano\":"
            + end
            + ",\"pid\":0,\"frequencyHz\":19,\"periodNs\":52631578,\"profiles\":["
            + "{\"file\":\"cpu.folded\",\"kind\":\"on-cpu\",\"unit\":\"samples\",\"phase\":null},"
            + "{\"file\":\"phase-decode_1.folded\",\"kind\":\"on-cpu\",\"unit\":\"samples\","
            + "\"phase\":\"decode 1\"},"
            + "{\"file\":\"offcpu-phase-decode_1.folded\",\"kind\":\"off-cpu\",\"unit\":\"us\","
            + "\"phase\":\"decode 1\"},"
            + "{\"file\":\"../../etc/passwd.folded\",\"kind\":\"on-cpu\",\"phase\":\"x\"}]}");
    return w;
  }

  @Test
  void windowsInTheReportsTimeAreSummedPerKindAndPhaseNameFromTheManifest() throws Exception {
    window(dir, "20261207T100010Z", T0, T0 + 10 * S, "main;a 2\n", "main;sleep 5000\n");
    window(dir, "20261207T100020Z", T0 + 10 * S, T0 + 20 * S, "main;a 3\n", "main;sleep 1000\n");
    window(dir, "20261207T110000Z", T0 + 3600 * S, T0 + 3601 * S, "main;late 9\n", "");
    Profiles p = Profiles.read(dir, T0 + 5 * S, T0 + 15 * S);
    assertThat(p.windows()).isEqualTo(2);
    assertThat(p.profiles())
        .extracting(x -> x.kind() + " " + x.unit() + " " + x.phase())
        .containsExactly("on-cpu samples null", "on-cpu samples decode 1", "off-cpu us decode 1");
    assertThat(p.find("on-cpu", "decode 1").stacks().total()).isEqualTo(5);
    assertThat(p.find("off-cpu", "decode 1").stacks().total()).isEqualTo(6000);
    assertThat(p.find("on-cpu", "x")).as("a manifest cannot name a file outside").isNull();
    assertThat(Profiles.readAll(dir).windows()).isEqualTo(3);
  }

  @Test
  void oneWindowsDirectoryIsReadWhateverItsTime() throws Exception {
    Path w = window(dir, "20261207T100010Z", T0, T0 + S, "main;a 2\n", "main;b 1\n");
    assertThat(Profiles.read(w, 0, 1).windows()).isEqualTo(1);
  }

  @Test
  void aDirectoryWithoutManifestIsReadByFileNamesAndItsNamesTime() throws Exception {
    Path w = Files.createDirectories(dir.resolve("20261207T100010Z"));
    Files.writeString(w.resolve("cpu.folded"), "main;a 2\n");
    Files.writeString(w.resolve("offcpu.folded"), "main;sleep 3\n");
    Files.writeString(w.resolve("phase-alpha.folded"), "main;a 2\n");
    long end = java.time.Instant.parse("2026-12-07T10:00:10Z").getEpochSecond() * S;
    Profiles p = Profiles.read(dir, end - 60 * S, end - 30 * S);
    assertThat(p.profiles())
        .extracting(x -> x.kind() + " " + x.unit() + " " + x.phase())
        .containsExactly("on-cpu samples null", "on-cpu samples alpha", "off-cpu episodes null");
    assertThat(Profiles.read(dir, end + S, end + 2 * S).windows()).isZero();
  }

  @Test
  void noDirectoryIsNoProfile() throws Exception {
    assertThat(Profiles.read(dir.resolve("none"), 0, 1).profiles()).isEmpty();
  }

  @Test
  void anotherRunIsFoundFromItsDemoOrOtlpDirectory() throws Exception {
    Path demo = dir.resolve("demo");
    Files.createDirectories(demo.resolve("otlp"));
    Files.writeString(demo.resolve("otlp/traces-1.jsonl"), "");
    Files.createDirectories(demo.resolve("profiles"));
    assertThat(Profiles.ofRun(demo)).isEqualTo(demo.resolve("profiles"));
    assertThat(Profiles.ofRun(demo.resolve("otlp")))
        .isEqualTo(demo.resolve("profiles").toAbsolutePath());
    assertThat(Profiles.ofRun(demo.resolve("profiles"))).isEqualTo(demo.resolve("profiles"));
  }
}
