package dev.aiprof.io.net;

import dev.aiprof.api.metrics.MetricId;
import io.opentelemetry.api.common.AttributeKey;

/** The metrics the net collector reports, per workload (cgroup identity). */
public final class NetMetrics {
  /** OpenTelemetry semantic conventions: "transmit" or "receive". */
  public static final AttributeKey<String> DIRECTION =
      AttributeKey.stringKey("network.io.direction");

  public static final AttributeKey<String> STATE =
      AttributeKey.stringKey("network.connection.state");
  public static final AttributeKey<String> PEER_ADDRESS =
      AttributeKey.stringKey("network.peer.address");
  public static final AttributeKey<Long> PEER_PORT = AttributeKey.longKey("network.peer.port");

  /** A server's endpoints: the local (listening) port, not the remote's ephemeral one. */
  public static final AttributeKey<Long> LOCAL_PORT = AttributeKey.longKey("network.local.port");

  public static final AttributeKey<String> NETWORK_TYPE = AttributeKey.stringKey("network.type");

  /** opened, closed (after being established) or failed (never established). */
  public static final AttributeKey<String> EVENT = AttributeKey.stringKey("aiprof.net.tcp.event");

  /** client (connect) or server (accepted). */
  public static final AttributeKey<String> SIDE = AttributeKey.stringKey("aiprof.net.tcp.side");

  public static final MetricId BYTES =
      MetricId.counter(
          "aiprof.net.tcp.bytes",
          "Bytes TCP sendmsg/recvmsg calls moved, by network.io.direction (transmit, receive)",
          "By");
  public static final MetricId RETRANSMITS =
      MetricId.counter(
          "aiprof.net.tcp.retransmits",
          "TCP segments the kernel retransmitted on the workload's sockets",
          "{segment}");
  public static final MetricId CONNECTIONS =
      MetricId.counter(
          "aiprof.net.tcp.connections",
          "TCP connections by aiprof.net.tcp.event (opened: established; closed: after being"
              + " established; failed: never established) and side (client, server)",
          "{connection}");
  public static final MetricId OPEN =
      MetricId.gauge(
          "aiprof.net.tcp.connections.open",
          "Live TCP connections the agent tracks, by network.connection.state",
          "{connection}");
  public static final MetricId DURATION =
      MetricId.histogram(
          "aiprof.net.tcp.connection.duration",
          "Lifetime of TCP connections from open (SYN sent or received) to close, of connections"
              + " the agent saw open");
  public static final MetricId PEER_RETRANSMITS =
      MetricId.counter(
          "aiprof.net.tcp.peer.retransmits",
          "TCP segments retransmitted to a remote endpoint, for the capped set of endpoints that"
              + " retransmitted or were slow",
          "{segment}");
  public static final MetricId PEER_SLOW =
      MetricId.counter(
          "aiprof.net.tcp.peer.slow_connections",
          "Connections to a remote endpoint that closed with a smoothed RTT of at least"
              + " net.slow-rtt",
          "{connection}");
  public static final MetricId PEER_RTT =
      MetricId.gauge(
          "aiprof.net.tcp.peer.rtt",
          "Smoothed RTT of the last connection to a named remote endpoint when it retransmitted"
              + " or closed",
          "s");
  public static final MetricId SEEN_LATE =
      MetricId.counter(
          "aiprof.net.tcp.sockets.seen_late",
          "TCP sockets first seen after they opened (before the agent started): no lifetime",
          "{socket}");
  public static final MetricId DROPPED =
      MetricId.counter(
          "aiprof.net.dropped",
          "TCP records the collector dropped for a bound, by reason (series: a workload past the"
              + " series and overflow bounds, once per collection; activity)",
          "{record}");
  public static final MetricId CGROUPS_REMOVED =
      MetricId.counter(
          "aiprof.net.cgroups.removed",
          "Removed cgroups whose TCP totals were deleted (kernel map and collector) once a"
              + " collection exported their last values (they stop being exported)",
          "{cgroup}");

  private NetMetrics() {}
}
