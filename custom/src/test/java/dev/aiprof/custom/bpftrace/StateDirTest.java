package dev.aiprof.custom.bpftrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirTest {
  @Test
  void createsAPrivateDirectoryAndRefusesOneOthersMayWrite(@TempDir Path tmp) throws Exception {
    Path made = StateDir.prepare(tmp.resolve("a/b"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made)))
        .isEqualTo("rwxr-xr-x");
    Path open = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> StateDir.prepare(open))
        .hasMessageContaining("bpftrace.state-dir=" + open)
        .hasMessageContaining("writable by no one else");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), made);
    assertThatThrownBy(() -> StateDir.prepare(link)).hasMessageContaining("not a directory");
  }
}
