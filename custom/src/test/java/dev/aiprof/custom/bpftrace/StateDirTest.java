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

  @Test
  void refusesADirectoryUnderAParentOthersMayWriteAndWritesFiles0600(@TempDir Path tmp)
      throws Exception {
    Path parent = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxr-x"));
    Path inside = Files.createDirectory(parent.resolve("state"));
    Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> StateDir.prepare(inside)).hasMessageContaining("its parent " + parent);
    // under a sticky, world-writable /tmp (the TempDir's parent) it is fine
    Path ok = StateDir.prepare(tmp.resolve("ok"));
    StateDir.write(ok, "s.bt", "BEGIN {}");
    assertThat(Files.readString(ok.resolve("s.bt"))).isEqualTo("BEGIN {}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ok.resolve("s.bt"))))
        .isEqualTo("rw-------");
  }

  @Test
  void anOrphanIsABpftraceRunningAStateDirScriptWhoseParentIsNotThisAgent() {
    Path dir = Path.of("/run/aiprof/bpftrace");
    var args = java.util.List.of("-f", "json", "/run/aiprof/bpftrace/s.bt");
    assertThat(StateDir.isOrphan("/usr/bin/bpftrace", args, 1, 42, dir)).isTrue();
    assertThat(StateDir.isOrphan("/usr/bin/bpftrace", args, 42, 42, dir)).isFalse();
    assertThat(StateDir.isOrphan("/usr/bin/vim", args, 1, 42, dir)).isFalse();
    assertThat(StateDir.isOrphan("/usr/bin/bpftrace", java.util.List.of("/tmp/x/s.bt"), 1, 42, dir))
        .isFalse();
  }
}
