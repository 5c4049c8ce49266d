package dev.aiprof.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans matched by their connection's origin: the socket table and descriptors of a recorded gVisor
 * sandbox (its Sentry, pid 10868, holding the guest's host-network socket as fd 10).
 */
class SandboxOriginTest {
  @TempDir Path dir;

  /** 127.0.0.1:42886 → 127.0.0.1:4318, inode 52607; a closed one; a v6 one; the listener. */
  static final String TCP =
      """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 0100007F:10DE 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9001 1 0000000000000000 100 0 0 10 0
         1: 0100007F:A7C6 0100007F:10DE 01 00000000:00000000 00:00000000 00000000     0        0 52607 1 0000000000000000 20 4 30 10 -1
         2: 0100007F:9000 0100007F:10DE 06 00000000:00000000 03:00000A2F 00000000     0        0 0 3 0000000000000000
      """;

  static final String TCP6 =
      """
        sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 00000000000000000000000001000000:B000 00000000000000000000000001000000:10DE 01 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 20 4 30 10 -1
      """;

  static InetSocketAddress at(String ip, int port) throws IOException {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }

  @Test
  void theTableNamesTheSocketOfAConnectionEnd() throws IOException {
    InetSocketAddress receiver = at("127.0.0.1", 4318);
    assertThat(SocketTable.inode(TCP, at("127.0.0.1", 42950), receiver)).isEqualTo(52607);
    assertThat(SocketTable.inode(TCP, at("127.0.0.1", 36864), receiver))
        .as("closed: no process holds it")
        .isZero();
    assertThat(SocketTable.inode(TCP, at("127.0.0.1", 1), receiver)).isEqualTo(-1);
    assertThat(SocketTable.inode(TCP, receiver, at("127.0.0.1", 42950)))
        .as("the other end")
        .isEqualTo(-1);
    assertThat(SocketTable.inode(TCP6, at("::1", 45056), at("::1", 4318))).isEqualTo(777);
    assertThat(SocketTable.address("0100007F")).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(SocketTable.address("0000000000000000FFFF00000100007F"))
        .as("IPv4-mapped is IPv4")
        .isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(SocketTable.inode("garbage\n 0: zz:zz zz:zz\n", receiver, receiver)).isEqualTo(-1);
  }

  private HostPaths gvisorWithSocket() throws Exception {
    Path src = SandboxesTest.fixture("gvisor-podman").procfs();
    Path proc = dir.resolve("proc");
    try (Stream<Path> all = Files.walk(src)) {
      for (Path p : all.toList()) {
        Path to = proc.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Path sentry = proc.resolve("10868");
    Files.createDirectories(sentry.resolve("net"));
    Files.createDirectories(sentry.resolve("ns"));
    Files.createDirectories(sentry.resolve("fd"));
    Files.writeString(sentry.resolve("net/tcp"), TCP);
    Files.createSymbolicLink(sentry.resolve("ns/net"), Path.of("net:[4026531840]"));
    Files.createSymbolicLink(sentry.resolve("fd/3"), Path.of("pipe:[9]"));
    Files.createSymbolicLink(sentry.resolve("fd/10"), Path.of("socket:[52607]"));
    return new HostPaths(proc, dir.resolve("sys"), dir.resolve("cgroup"));
  }

  @Test
  void aConnectionTheSentryHoldsIsTheSandboxs() throws Exception {
    long[] now = {0};
    SandboxDirectory d = new SandboxDirectory(gvisorWithSocket(), () -> now[0]);
    InetSocketAddress receiver = at("127.0.0.1", 4318);
    assertThat(d.byConnection(at("127.0.0.1", 42950), receiver))
        .contains(
            new SandboxDirectory.Match(
                10868,
                new Sandbox(Sandbox.Kind.GVISOR, "sandbox", java.util.Optional.empty()),
                SandboxDirectory.BY_CONNECTION));
    assertThat(d.byConnection(at("127.0.0.1", 36864), receiver)).as("closed").isEmpty();
    assertThat(d.byConnection(at("127.0.0.1", 42950), at("127.0.0.1", 4317)))
        .as("another receiver port")
        .isEmpty();
    assertThat(d.byConnection(null, receiver)).isEmpty();

    // Kept for CONNECTION_TTL_NS: the Sentry dropping the socket is seen only after it.
    Files.delete(dir.resolve("proc/10868/fd/10"));
    now[0] = SandboxDirectory.CONNECTION_TTL_NS - 1;
    assertThat(d.byConnection(at("127.0.0.1", 42950), receiver)).isPresent();
    now[0] = SandboxDirectory.CONNECTION_TTL_NS;
    assertThat(d.byConnection(at("127.0.0.1", 42950), receiver)).isEmpty();
  }

  /** A pod's network namespace as /proc shows it: its address 10.88.0.6, and loopback. */
  static final String POD_FIB_TRIE =
      """
      Main:
        +-- 0.0.0.0/0 3 0 5
           |-- 0.0.0.0
              /0 universe UNICAST
           +-- 10.88.0.0/16 2 0 2
              |-- 10.88.0.6
                 /32 host LOCAL
              |-- 10.88.255.255
                 /32 link BROADCAST
      Local:
        +-- 127.0.0.0/8 2 0 2
           |-- 127.0.0.1
              /32 host LOCAL
      """;

  static final String POD_IF_INET6 =
      """
      00000000000000000000000000000001 01 80 10 80       lo
      fe800000000000001816c3fffe42b857 02 40 20 80     eth0
      """;

  @Test
  void aNamespacesLocalAddressesComeFromFibTrieAndIfInet6() throws IOException {
    assertThat(SocketTable.localAddresses(POD_FIB_TRIE, POD_IF_INET6))
        .containsExactlyInAnyOrder(
            InetAddress.getByName("10.88.0.6"),
            InetAddress.getByName("127.0.0.1"),
            InetAddress.getByName("::1"),
            InetAddress.getByName("fe80::1816:c3ff:fe42:b857"));
    assertThat(
            SocketTable.localAddresses(
                Files.readString(Path.of("/proc/self/net/fib_trie")),
                Files.exists(Path.of("/proc/self/net/if_inet6"))
                    ? Files.readString(Path.of("/proc/self/net/if_inet6"))
                    : ""))
        .as("this host's own namespace, as the kernel writes it")
        .contains(InetAddress.getByName("127.0.0.1"));
    assertThat(SocketTable.localAddresses("|-- 999.1.1.1\n/32 host LOCAL\n", "zz"))
        .as("garbage")
        .isEmpty();
  }

  @Test
  void aSandboxInAPodNamespaceIsMatchedByThePodsAddress() throws Exception {
    HostPaths paths = gvisorWithSocket();
    Path sentry = paths.procfs().resolve("10868");
    Files.delete(sentry.resolve("ns/net"));
    Files.createSymbolicLink(sentry.resolve("ns/net"), Path.of("net:[4026532174]"));
    Files.writeString(sentry.resolve("net/fib_trie"), POD_FIB_TRIE);
    Files.writeString(sentry.resolve("net/if_inet6"), POD_IF_INET6);
    Path self = paths.procfs().resolve("self");
    Files.createDirectories(self.resolve("ns"));
    Files.createDirectories(self.resolve("net"));
    Files.createSymbolicLink(self.resolve("ns/net"), Path.of("net:[4026531840]"));
    Files.writeString(
        self.resolve("net/fib_trie"),
        "Local:\n  |-- 10.0.2.15\n     /32 host LOCAL\n  |-- 127.0.0.1\n     /32 host LOCAL\n");
    SandboxDirectory d = new SandboxDirectory(paths, () -> 0L);
    InetSocketAddress receiver = at("10.88.0.1", 4318);

    assertThat(d.byConnection(at("10.88.0.6", 40000), receiver))
        .map(SandboxDirectory.Match::hostPid)
        .contains(10868);
    assertThat(d.byConnection(at("10.0.2.15", 40000), receiver))
        .as("the agent's own address names no sandbox")
        .isEmpty();
    assertThat(d.byConnection(at("127.0.0.1", 40001), at("127.0.0.1", 4318)))
        .as("loopback is every namespace's")
        .isEmpty();
    assertThat(d.byConnection(at("10.88.0.7", 40000), receiver)).isEmpty();
  }
}
