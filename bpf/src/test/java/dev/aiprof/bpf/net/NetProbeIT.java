package dev.aiprof.bpf.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.sched.SchedConfig;
import dev.aiprof.bpf.sched.SchedProbe;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.NetnsPair;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.TcpTraffic;
import dev.aiprof.testing.WorkloadProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TCP probe loaded for real. A fixture process in its own test cgroup moves known bytes over
 * loopback (IPv4 and IPv6) and prints what it did; the probe's per-socket entries, per-workload
 * totals and followed-thread slots must match it. Retransmits are provoked on a veth link between
 * two namespaces made for the test, by taking the server's address away while the client sends
 * (silent loss: this kernel has no sch_netem); the probe's count for the client's cgroup and remote
 * endpoint must match that namespace's own TCP counter. Everything is filtered by the test's own
 * cgroup: other tests use the network at the same time.
 */
@Requires(
    root = true,
    tools = {"ip", "ss"},
    files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class NetProbeIT {
  private static final Features FEATURES = new FeatureProber().probe();

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1"})
  void loopbackBytesConnectionsAndLifetimeMatchWhatTheProcessDid(String host) throws Exception {
    String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    try (SchedProbe sched = SchedProbe.load(FEATURES, SchedConfig.builder().build());
        NetProbe probe = NetProbe.load(FEATURES, NetConfig.defaults(), sched);
        CgroupDir cg = CgroupDir.create("aiprof-net-" + tag);
        WorkloadProcess w = WorkloadProcess.start(null, TcpTraffic.class)) {
      assertThat(probe.countsBytes()).as("this kernel has sock_send/recv_length").isTrue();
      cg.add(w.pid());
      sched.follow((int) w.pid());
      w.send("pair " + host + " 200 1000 5000 1000");
      String[] holding = w.readLine().split(" ");
      assertThat(holding[0]).isEqualTo("holding");
      int clientPort = Integer.parseInt(holding[1]);
      int serverPort = Integer.parseInt(holding[2]);
      int clientTid = Integer.parseInt(holding[3]);
      int serverTid = Integer.parseInt(holding[4]);
      List<NetSocket> live = mine(probe.sockets(), cg.id());
      assertThat(live).as("the two ends, live").hasSize(2);
      String family = host.contains(":") ? "::1" : "127.0.0.1";
      NetSocket client = side(live, NetSide.CLIENT);
      NetSocket server = side(live, NetSide.SERVER);
      assertThat(client.remote().host()).isEqualTo(family);
      assertThat(client.remote().port()).isEqualTo(serverPort);
      assertThat(client.localPort()).isEqualTo(clientPort);
      assertThat(server.remote().port()).isEqualTo(clientPort);
      assertThat(client.state()).isEqualTo(TcpState.ESTABLISHED);
      assertThat(client.tid()).isEqualTo(clientTid);
      assertThat(server.tid()).isEqualTo(serverTid);
      assertThat(client.pid()).isEqualTo((int) w.pid());
      assertThat(client.followed()).isTrue();
      assertThat(client.sent()).isEqualTo(200_000);
      assertThat(client.received()).isEqualTo(5000);
      assertThat(server.received()).isEqualTo(200_000);
      long before = System.nanoTime();
      String[] done = w.readLine().split(" ");
      assertThat(done[0]).isEqualTo("done");
      long sent = Long.parseLong(done[1]);
      long received = Long.parseLong(done[2]);
      long lifetime = Long.parseLong(done[3]);
      NetWorkload mine = awaitClosed(probe, cg.id(), 2);
      assertThat(mine.sent()).isEqualTo(sent).isEqualTo(205_000);
      assertThat(mine.received()).isEqualTo(received).isEqualTo(205_000);
      assertThat(mine.openedClient()).isEqualTo(1);
      assertThat(mine.openedServer()).isEqualTo(1);
      assertThat(mine.closed()).isEqualTo(2);
      assertThat(mine.failed()).as("%s", mine).isZero();
      assertThat(mine.retransmits()).isZero();
      assertThat(mine.durations().total()).isEqualTo(2);
      // Both lifetimes lie within the client's connect-to-close time, and span the 1 s hold.
      long slack = System.nanoTime() - before; // the server may close after the client returns
      assertThat(mine.durationNs()).isBetween(2 * 1_000_000_000L, 2 * (lifetime + slack));
      assertThat(mine(probe.sockets(), cg.id())).as("closed sockets are removed").isEmpty();
      List<NetSlot> slots = new ArrayList<>();
      probe.drainEnded(Long.MAX_VALUE, slots::add);
      long slotSent = 0;
      long slotReceived = 0;
      for (NetSlot s : slots) {
        if (s.pid() == w.pid()) {
          assertThat(s.tid()).isIn(clientTid, serverTid);
          slotSent += s.sent();
          slotReceived += s.received();
        }
      }
      assertThat(slotSent).as("followed threads' bytes by slot").isEqualTo(sent);
      assertThat(slotReceived).isEqualTo(received);
      w.send("stop");
    }
  }

  @Test
  void aRetransmitOnALossyLinkIsSeenWithItsCgroupAndRemoteEndpoint() throws Exception {
    String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    int port = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
    try (NetnsPair link = NetnsPair.create();
        NetProbe probe = NetProbe.load(FEATURES, NetConfig.defaults());
        CgroupDir cg = CgroupDir.create("aiprof-net-" + tag);
        WorkloadProcess server =
            WorkloadProcess.startUnder(NetnsPair.in(link.serverNamespace()), TcpTraffic.class);
        WorkloadProcess client =
            WorkloadProcess.startUnder(NetnsPair.in(link.clientNamespace()), TcpTraffic.class)) {
      cg.add(client.pid());
      server.send("serve " + link.serverAddress() + " " + port);
      assertThat(server.readLine()).isEqualTo("listening");
      long before = link.tcpCounter(link.clientNamespace(), "RetransSegs");
      client.send("connect " + link.serverAddress() + " " + port + " 300 1000");
      assertThat(client.readLine()).startsWith("connected");
      link.serverReachable(false); // the client's segments vanish: the kernel retransmits them
      client.send("send");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!NetnsPair.run("ip", "netns", "exec", link.clientNamespace(), "ss", "-tin")
          .contains("backoff:")) { // the retransmission timer fired
        assertThat(System.nanoTime())
            .as("a retransmit while the link is down")
            .isLessThan(deadline);
        Thread.onSpinWait();
      }
      link.serverReachable(true);
      String[] done = client.readLine().split(" ");
      assertThat(done[0]).isEqualTo("done");
      assertThat(server.readLine()).isEqualTo("done 300000");
      long kernel = link.tcpCounter(link.clientNamespace(), "RetransSegs") - before;
      assertThat(kernel).as("segments lost while the server was away").isPositive();
      NetWorkload mine = workload(probe, cg.id()).orElseThrow();
      assertThat(mine.sent()).isEqualTo(300_000);
      assertThat(mine.retransmits()).as("the namespace's RetransSegs").isEqualTo(kernel);
      List<NetPeer> peers = probe.peers().stream().filter(p -> p.cgroupId() == cg.id()).toList();
      assertThat(peers).hasSize(1);
      assertThat(peers.getFirst().remote().host()).isEqualTo(link.serverAddress());
      assertThat(peers.getFirst().remote().port()).isEqualTo(port);
      assertThat(peers.getFirst().retransmits()).isEqualTo(kernel);
      client.send("stop");
      server.send("stop");
    }
  }

  private static List<NetSocket> mine(List<NetSocket> all, long cgroup) {
    return all.stream().filter(s -> s.cgroupId() == cgroup).toList();
  }

  private static NetSocket side(List<NetSocket> live, NetSide side) {
    return live.stream().filter(s -> s.side() == side).findFirst().orElseThrow();
  }

  /**
   * The workload once {@code n} of its sockets closed: the last close can come after the process
   * returns (the FIN exchange, the hand-off to timewait, run in softirq).
   */
  private static NetWorkload awaitClosed(NetProbe probe, long cgroup, int n) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    NetWorkload w = workload(probe, cgroup).orElseThrow();
    while (w.closed() < n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      w = workload(probe, cgroup).orElseThrow();
    }
    return w;
  }

  private static Optional<NetWorkload> workload(NetProbe probe, long cgroup) {
    return probe.workloads().stream().filter(x -> x.cgroupId() == cgroup).findFirst();
  }
}
