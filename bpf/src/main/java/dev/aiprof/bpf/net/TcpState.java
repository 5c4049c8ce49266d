package dev.aiprof.bpf.net;

/**
 * TCP states as the kernel numbers them ({@code include/net/tcp_states.h}, stable since 2.2), with
 * the OpenTelemetry {@code network.connection.state} value of each.
 */
public enum TcpState {
  ESTABLISHED(1, "established"),
  SYN_SENT(2, "syn_sent"),
  SYN_RECV(3, "syn_received"),
  FIN_WAIT1(4, "fin_wait_1"),
  FIN_WAIT2(5, "fin_wait_2"),
  TIME_WAIT(6, "time_wait"),
  CLOSE(7, "closed"),
  CLOSE_WAIT(8, "close_wait"),
  LAST_ACK(9, "last_ack"),
  LISTEN(10, "listen"),
  CLOSING(11, "closing"),
  NEW_SYN_RECV(12, "syn_received");

  private final int code;
  private final String label;

  TcpState(int code, String label) {
    this.code = code;
    this.label = label;
  }

  public int code() {
    return code;
  }

  /** The semantic-convention value of {@code network.connection.state}. */
  public String label() {
    return label;
  }

  /** The state of a kernel code, or null for one this version does not know. */
  public static TcpState ofCode(int code) {
    for (TcpState s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    return null;
  }
}
