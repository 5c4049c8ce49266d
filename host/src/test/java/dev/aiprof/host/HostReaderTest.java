package dev.aiprof.host;

import static dev.aiprof.host.HostMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader on a host tree written here: a statvfs that blocks (a hard NFS mount whose server is
 * gone), counters that wrap at 2^32 or reset, names that are not UTF-8.
 */
class HostReaderTest {
  @TempDir Path dir;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void letTheStuckCallsGo() {
    release.countDown();
  }

  /** statvfs that blocks on the mount points named, until {@link #release}; counts calls. */
  private final class BlockingStatFs implements StatFs {
    final Set<String> blocking;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final CountDownLatch entered = new CountDownLatch(1);

    BlockingStatFs(String... blocking) {
      this.blocking = Set.of(blocking);
    }

    @Override
    public Space space(Path path) {
      String name = path.getFileName() == null ? "/" : path.getFileName().toString();
      calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      if (blocking.contains(name)) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return new Space(1000, 400, 300);
    }

    int calls(String name) {
      AtomicInteger n = calls.get(name);
      return n == null ? 0 : n.get();
    }
  }

  private HostPaths tree(String mounts, byte[] netDev, String diskstats) throws Exception {
    Path proc = dir.resolve("proc");
    Files.createDirectories(proc.resolve("1/net"));
    Files.createDirectories(proc.resolve("1/root"));
    Files.createDirectories(dir.resolve("sys/block/vda"));
    Files.writeString(proc.resolve("stat"), "cpu0 1 0 1 8 0 0 0 0 0 0\n");
    Files.writeString(proc.resolve("meminfo"), "MemTotal: 1000 kB\nMemFree: 100 kB\n");
    Files.writeString(proc.resolve("vmstat"), "pgfault 1\npgmajfault 0\n");
    Files.writeString(proc.resolve("1/mounts"), mounts);
    Files.write(proc.resolve("1/net/dev"), netDev);
    Files.writeString(proc.resolve("diskstats"), diskstats);
    return new HostPaths(proc, dir.resolve("sys"), dir);
  }

  private HostPaths tree(String mounts) throws Exception {
    return tree(mounts, "eth0: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\n".getBytes(), disk(0, 0, 0));
  }

  private static String disk(long readMs, long writeMs, long ioMs) {
    return " 253 0 vda 10 0 8 " + readMs + " 20 0 16 " + writeMs + " 0 " + ioMs + " 0\n";
  }

  @Test
  void aStatvfsThatHangsNeitherHoldsUpStartNorTheHousekeepingThread() throws Exception {
    HostPaths paths =
        tree("/dev/vda / ext4 rw 0 0\nsrv:/x /data nfs4 rw 0 0\n/dev/vdb /scratch ext4 rw 0 0\n");
    BlockingStatFs fs = new BlockingStatFs("data");
    try (HostRun r = new HostRun(paths, fs, false, Map.of(), false)) {
      assertThat(fs.entered.await(10, TimeUnit.SECONDS)).as("statvfs of /data began").isTrue();
      assertThat(release.getCount()).as("still stuck in it").isEqualTo(1);
      assertThat(r.status().state())
          .as("started while statvfs hangs")
          .isEqualTo(dev.aiprof.pipeline.CollectorStatus.State.RUNNING);
      r.collector.get().tick();
      assertThat(r.collect().of(CPU_TIME.name())).as("housekeeping went on").isNotEmpty();
      HostCollector c = r.collector.get();
      assertThat(c.awaitFileSystems(java.time.Duration.ofSeconds(10))).isTrue();
      Recorded m = r.collect();
      assertThat(m.values(FS_LIMIT.name(), FS_MOUNTPOINT))
          .as("the mounts after the stuck one are statted, the stuck one skipped")
          .containsExactlyInAnyOrder("/", "/scratch");
      assertThat(m.value(STATFS_TIMEOUTS.name())).contains(1.0);
      r.tick();
      r.tick();
      assertThat(fs.calls("data")).as("not statted again while the first call hangs").isEqualTo(1);
      assertThat(fs.calls("scratch")).isEqualTo(3);
      m = r.collect();
      assertThat(m.value(STATFS_TIMEOUTS.name())).contains(1.0);
      assertThat(m.value(STATFS_SKIPPED.name())).contains(2.0);
      release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (fs.calls("data") < 2 && System.nanoTime() < deadline) {
        r.tick();
      }
      assertThat(fs.calls("data")).as("statted again once the stuck call returned").isEqualTo(2);
      assertThat(r.collect().values(FS_LIMIT.name(), FS_MOUNTPOINT)).contains("/data");
    }
  }

  @Test
  void diskTimesThatWrapAt2To32MsCarryOnAndAResetDoesNotGoBackwards() throws Exception {
    HostPaths paths = tree("");
    Path ds = paths.proc("diskstats");
    long near = (1L << 32) - 1000;
    Files.writeString(ds, disk(near, 5, near));
    try (HostRun r = new HostRun(paths, new BlockingStatFs(), false, Map.of(), true)) {
      assertThat(r.collect().value(DISK_IO_TIME.name(), DEVICE, "vda")).contains(near / 1e3);
      Files.writeString(ds, disk(500, 7, 1500));
      Recorded m = r.tickAndCollect();
      assertThat(m.value(DISK_OPERATION_TIME.name(), DEVICE, "vda", DISK_DIRECTION, "read"))
          .as("2^32 - 1000 ms, then 1500 ms further")
          .contains(((1L << 32) + 500) / 1e3);
      assertThat(m.value(DISK_IO_TIME.name(), DEVICE, "vda")).contains(((1L << 32) + 1500) / 1e3);
      assertThat(m.value(DISK_OPERATION_TIME.name(), DEVICE, "vda", DISK_DIRECTION, "write"))
          .contains(0.007);
      Files.writeString(ds, disk(500, 3, 1600));
      m = r.tickAndCollect();
      assertThat(m.value(DISK_OPERATION_TIME.name(), DEVICE, "vda", DISK_DIRECTION, "write"))
          .as("7 then 3: a reset (not a wrap); carries on from 7")
          .contains(0.010);
    }
  }

  @Test
  void netCountersOfA32BitDriverWrap() throws Exception {
    HostPaths paths = tree("");
    Path nd = paths.proc("1", "net", "dev");
    long near = (1L << 32) - 10;
    Files.writeString(nd, "eth0: " + near + " 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0\n");
    try (HostRun r = new HostRun(paths, new BlockingStatFs(), false, Map.of(), true)) {
      Files.writeString(nd, "eth0: 20 2 0 0 0 0 0 0 9 2 0 0 0 0 0 0\n");
      Recorded m = r.tickAndCollect();
      assertThat(m.value(NET_IO.name(), INTERFACE, "eth0", NET_DIRECTION, "receive"))
          .contains((double) ((1L << 32) + 20));
      assertThat(m.value(NET_IO.name(), INTERFACE, "eth0", NET_DIRECTION, "transmit"))
          .contains(9.0);
    }
  }

  @Test
  void aNameThatIsNotUtf8CostsOnlyItself() throws Exception {
    byte[] net =
        ("eth0: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\nw\u00ff\u00fe: 2 2 0 0 0 0 0 0 2 2 0 0 0 0 0 0\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    HostPaths paths =
        tree(
            "/dev/vda / ext4 rw 0 0\n/dev/vdb /mnt/b\u00e4d\\040dir ext4 ro 0 0\n",
            net,
            disk(1, 1, 1));
    Files.write(
        paths.proc("1", "mounts"),
        "/dev/vda / ext4 rw 0 0\n/dev/vdb /mnt/b\u00e4d\\040dir ext4 ro 0 0\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    try (HostRun r = new HostRun(paths, new BlockingStatFs(), false, Map.of(), true)) {
      Recorded m = r.collect();
      assertThat(m.value(READ_FAILURES.name())).contains(0.0);
      assertThat(m.values(NET_IO.name(), INTERFACE))
          .containsExactlyInAnyOrder("eth0", "w\ufffd\ufffd");
      assertThat(m.values(FS_LIMIT.name(), FS_MOUNTPOINT))
          .as("the bad byte replaced, the \\040 escape a space")
          .containsExactlyInAnyOrder("/", "/mnt/b\ufffdd dir");
    }
  }

  @Test
  void unwrappedTellsAWrapFromAReset() {
    Unwrapped u = new Unwrapped(true, false);
    assertThat(u.apply("a", (1L << 32) - 1, 100)).containsExactly((1L << 32) - 1, 100);
    assertThat(u.apply("a", 4, 40)).containsExactly((1L << 32) + 4, 140);
    assertThat(u.apply("a", 2, 50)).as("2 after 4: a reset").containsExactly((1L << 32) + 6, 150);
    u.retain(Set.of());
    assertThat(u.apply("a", 1, 1)).as("forgotten: afresh").containsExactly(1, 1);
  }
}
