package dev.aiprof.bpf.net;

import java.util.Locale;

/** Which end opened a connection; mirrors {@code enum net_side} in net.h. */
public enum NetSide {
  /** Open before the probe attached. */
  UNKNOWN(0),
  /** Active open: connect(). */
  CLIENT(1),
  /** Passive open: accepted from a listener. */
  SERVER(2);

  private final int code;

  NetSide(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static NetSide ofCode(int code) {
    for (NetSide s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    return UNKNOWN;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
