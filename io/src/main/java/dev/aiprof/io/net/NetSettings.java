package dev.aiprof.io.net;

import dev.aiprof.api.settings.Setting;
import java.time.Duration;
import java.util.List;

/** The net collector's settings. */
public final class NetSettings {
  public static final Setting<Integer> SOCKET_ENTRIES =
      Setting.integer(
          "net.socket-entries",
          65536,
          1024,
          1 << 22,
          "live TCP sockets the kernel tracks (about 112 bytes each); beyond it a socket's bytes"
              + " still count for its workload, without a lifetime");
  public static final Setting<Integer> PEER_ENTRIES =
      Setting.integer(
          "net.peer-entries",
          1024,
          16,
          65536,
          "remote endpoints (per workload) named because they retransmitted or were slow: the"
              + " cardinality cap of the peer metrics");
  public static final Setting<Duration> SLOW_RTT =
      Setting.duration(
          "net.slow-rtt",
          Duration.ofMillis(200),
          Duration.ZERO,
          Duration.ofMinutes(1),
          "a connection that closes with at least this smoothed RTT names its remote endpoint"
              + " (0: only retransmits do)");
  public static final Setting<Duration> DRAIN_INTERVAL =
      Setting.duration(
          "net.drain-interval",
          Duration.ofMillis(100),
          Duration.ofMillis(20),
          Duration.ofSeconds(10),
          "how often followed threads' ended TCP slots are read and deleted");
  public static final Setting<Duration> RETENTION =
      Setting.duration(
          "net.retention",
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          Duration.ofMinutes(10),
          "how long per-thread TCP traffic is kept for describing phases that end late");
  public static final Setting<Duration> PEER_RETENTION =
      Setting.duration(
          "net.peer-retention",
          Duration.ofMinutes(10),
          Duration.ofMinutes(1),
          Duration.ofHours(24),
          "a named remote endpoint not seen retransmitting or slow for this long is forgotten");

  static final List<Setting<?>> ALL =
      List.of(SOCKET_ENTRIES, PEER_ENTRIES, SLOW_RTT, DRAIN_INTERVAL, RETENTION, PEER_RETENTION);

  private NetSettings() {}
}
