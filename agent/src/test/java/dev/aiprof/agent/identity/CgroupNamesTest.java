package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directories of a temporary tree stand in for cgroups: a cgroup id is the directory's inode. */
class CgroupNamesTest {
  private static final long HOUR = 3_600_000_000_000L;

  @Test
  void aCgroupCreatedAfterTheLastWalkIsNamedWithoutWaitingForTheRefreshInterval(@TempDir Path root)
      throws Exception {
    CgroupNames names = new CgroupNames(root, HOUR);
    assertThat(names.path(CgroupNames.idOf(root))).contains("/");
    Path pod = Files.createDirectories(root.resolve("kubepods.slice/pod-a.slice"));
    long id = CgroupNames.idOf(pod);
    long deadline = System.nanoTime() + 2_000_000_000L;
    Optional<String> found = names.path(id);
    while (found.isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      found = names.path(id);
    }
    assertThat(found).contains("/kubepods.slice/pod-a.slice");
  }

  @Test
  void anIdNoWalkFindsStaysUnnamed(@TempDir Path root) throws Exception {
    CgroupNames names = new CgroupNames(root, HOUR);
    long missing = CgroupNames.idOf(root) + 1_000_003;
    assertThat(names.path(missing)).isEmpty();
    assertThat(names.path(missing)).isEmpty();
  }
}
