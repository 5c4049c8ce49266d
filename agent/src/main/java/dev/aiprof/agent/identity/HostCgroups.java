package dev.aiprof.agent.identity;

import dev.aiprof.api.Cgroups;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The host's cgroup hierarchies as collectors see them ({@link Cgroups}): the v2 hierarchy and the
 * v1 memory hierarchy where the host has them, each indexed by {@link CgroupNames}. Thread-safe.
 */
public final class HostCgroups implements Cgroups {
  private final CgroupNames v2;
  private final CgroupNames v1;

  public HostCgroups(CgroupMounts mounts) {
    this.v2 = names(mounts.v2().orElse(null));
    this.v1 = names(mounts.v1Memory().orElse(null));
  }

  private static CgroupNames names(Path root) {
    return root == null ? null : new CgroupNames(root, Duration.ofSeconds(10).toNanos());
  }

  @Override
  public Optional<String> name(long v2Id, long v1Id) {
    String n = v2 == null ? null : v2.path(v2Id).orElse(null);
    if ((n == null || n.equals("/")) && v1 != null && v1Id != 0) {
      String m = v1.path(v1Id).orElse(null);
      if (m != null && !m.equals("/")) {
        return Optional.of("memcg " + m);
      }
    }
    return Optional.ofNullable(n);
  }

  @Override
  public void refresh() {
    if (v2 != null) {
      v2.refresh();
    }
    if (v1 != null) {
      v1.refresh();
    }
  }

  @Override
  public boolean exists(long v2Id, long v1Id) {
    boolean v2Alive = v2 == null || v2.known(v2Id);
    boolean v1Alive = v1 == null || v1Id == 0 || v1.known(v1Id);
    return v2Alive && v1Alive;
  }
}
