package dev.aiprof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aiprof report}: both files from a directory of OTLP files; bad input exits 2. */
class ReportCommandTest {
  @TempDir Path dir;

  private Path otlp() throws IOException {
    Path in = Files.createDirectories(dir.resolve("otlp"));
    Files.writeString(
        in.resolve("traces-20261204T120000Z-1.jsonl"),
        """
        {"resourceSpans":[{"resource":{"attributes":[\
        {"key":"service.name","value":{"stringValue":"svc"}},\
        {"key":"process.pid","value":{"intValue":"7"}}]},"scopeSpans":[{"spans":[\
        {"traceId":"0a","spanId":"01","name":"POST /generate","kind":2,\
        "startTimeUnixNano":"1000000000","endTimeUnixNano":"1050000000","attributes":[\
        {"key":"thread.id","value":{"intValue":"8"}},\
        {"key":"aiprof.sched.on_cpu_ms","value":{"doubleValue":50.0}}]}]}]}]}
        """);
    return in;
  }

  @Test
  void writesBothFilesAndPrintsTheirPaths() throws IOException {
    Path out = dir.resolve("out");
    CliRun r =
        CliRun.of("report", "--from", otlp().toString(), "--out", out.toString(), "--no-doctor");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Report: " + out.resolve("aiprof-report.html").toAbsolutePath())
        .contains("Perfetto trace: " + out.resolve("aiprof-trace.json").toAbsolutePath())
        .contains("1 traces, 1 spans");
    assertThat(out.resolve("aiprof-report.html")).exists();
    assertThat(Files.readString(out.resolve("aiprof-report.html"))).doesNotContain("kernel ");
  }

  @Test
  void noSuchDirectory() {
    CliRun r = CliRun.of("report", "--from", dir.resolve("nope").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("aiprof: no directory " + dir.resolve("nope"))
        .contains("aiprof run --output-dir");
  }

  @Test
  void noTraceFiles() {
    CliRun r = CliRun.of("report", "--from", dir.toString(), "--no-doctor");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).startsWith("aiprof: no traces-*.jsonl files in " + dir);
  }

  @Test
  void badSince() throws IOException {
    CliRun r = CliRun.of("report", "--from", otlp().toString(), "--since", "10x");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: invalid --since '10x': use a number and a unit (ns, us, ms, s, m, h), e.g. 10s\n");
    CliRun zero = CliRun.of("report", "--from", otlp().toString(), "--since", "0");
    assertThat(zero.status()).isEqualTo(2);
    assertThat(zero.err()).contains("use a positive duration");
  }

  @Test
  void aServiceThatIsNotThere() throws IOException {
    CliRun r =
        CliRun.of("report", "--from", otlp().toString(), "--service", "other", "--no-doctor");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .contains("no spans match --service other")
        .contains("check the service name");
  }
}
