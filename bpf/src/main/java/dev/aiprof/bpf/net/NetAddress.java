package dev.aiprof.bpf.net;

import java.util.Arrays;

/**
 * A remote endpoint as the probe records it: address family, 16 address bytes in network order (an
 * IPv4 address in the first 4) and port. Formatting is pure: IPv4 dotted, IPv6 in the RFC 5952 text
 * form (lower case, the longest run of two or more zero groups as {@code ::}), IPv4-mapped IPv6
 * addresses (a dual-stack socket talking IPv4) as the IPv4 address. Immutable.
 */
public record NetAddress(int family, byte[] addr, int port) {
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;

  public NetAddress {
    addr = Arrays.copyOf(addr, NetAbi.ADDR_BYTES);
  }

  @Override
  public byte[] addr() {
    return addr.clone();
  }

  /** The address as text ("10.0.0.2", "fd00::2"), "?" for an unknown family. */
  public String host() {
    if (family == AF_INET) {
      return ipv4(0);
    }
    if (family != AF_INET6) {
      return "?";
    }
    if (mappedIpv4()) {
      return ipv4(12);
    }
    return ipv6();
  }

  /** host:port, with brackets around an IPv6 host. */
  @Override
  public String toString() {
    String h = host();
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
  }

  /** The {@code network.type} value: "ipv4" (mapped addresses too) or "ipv6". */
  public String networkType() {
    return family == AF_INET || mappedIpv4() ? "ipv4" : "ipv6";
  }

  private boolean mappedIpv4() {
    for (int i = 0; i < 10; i++) {
      if (addr[i] != 0) {
        return false;
      }
    }
    return addr[10] == (byte) 0xff && addr[11] == (byte) 0xff;
  }

  private String ipv4(int from) {
    return (addr[from] & 0xff)
        + "."
        + (addr[from + 1] & 0xff)
        + "."
        + (addr[from + 2] & 0xff)
        + "."
        + (addr[from + 3] & 0xff);
  }

  private String ipv6() {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((addr[2 * i] & 0xff) << 8) | (addr[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetAddress a
        && a.family == family
        && a.port == port
        && Arrays.equals(a.addr, addr);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * family + port) + Arrays.hashCode(addr);
  }
}
