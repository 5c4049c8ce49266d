package dev.aiprof.api.sandbox;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The kernel's TCP socket tables ({@code /proc/PID/net/tcp} and {@code tcp6}, one per network
 * namespace): which socket inode is the one endpoint of a connection (pure, thread-safe). An
 * address is the kernel's 32-bit words in hex, each in host (little-endian) order; an IPv4-mapped
 * IPv6 address equals its IPv4 address, as Java reports it.
 */
public final class SocketTable {
  private SocketTable() {}

  /**
   * The inode of the socket whose local end is {@code local} and remote end {@code remote}: -1 when
   * the table has no such socket, 0 when it has but no process holds it any more (closed, in
   * TIME_WAIT).
   */
  public static long inode(String table, InetSocketAddress local, InetSocketAddress remote) {
    for (String line : table.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 10 || !f[0].endsWith(":")) {
        continue; // the header, or a short line
      }
      try {
        if (matches(f[1], local) && matches(f[2], remote)) {
          return Long.parseLong(f[9]);
        }
      } catch (RuntimeException e) {
        // a line this parser does not know: not the one
      }
    }
    return -1;
  }

  /** Whether a table's {@code ADDR:PORT} field is {@code a}. */
  static boolean matches(String field, InetSocketAddress a) {
    int colon = field.indexOf(':');
    return colon > 0
        && Integer.parseInt(field.substring(colon + 1), 16) == a.getPort()
        && address(field.substring(0, colon)).equals(a.getAddress());
  }

  /**
   * The addresses local to a network namespace (pure): IPv4 from its {@code /proc/PID/net/fib_trie}
   * (an address line {@code |-- A.B.C.D} followed by {@code /32 host LOCAL}), IPv6 from its {@code
   * /proc/PID/net/if_inet6} (32 hex digits in network order). Either text may be empty.
   */
  public static Set<InetAddress> localAddresses(String fibTrie, String ifInet6) {
    Set<InetAddress> out = new HashSet<>();
    String last = null;
    for (String line : fibTrie.split("\n")) {
      String t = line.strip();
      if (t.startsWith("|-- ")) {
        last = t.substring(4).strip();
      } else if (last != null && t.equals("/32 host LOCAL")) {
        parse(last, out);
      }
    }
    for (String line : ifInet6.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 6 && f[0].length() == 32) {
        try {
          out.add(InetAddress.getByAddress(HexFormat.of().parseHex(f[0])));
        } catch (UnknownHostException | IllegalArgumentException e) {
          // not an address
        }
      }
    }
    return out;
  }

  private static void parse(String dotted, Set<InetAddress> out) {
    String[] p = dotted.split("\\.");
    if (p.length != 4) {
      return;
    }
    byte[] b = new byte[4];
    try {
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(p[i]);
        if (v < 0 || v > 255) {
          return;
        }
        b[i] = (byte) v;
      }
      out.add(InetAddress.getByAddress(b));
    } catch (NumberFormatException | UnknownHostException e) {
      // not an address
    }
  }

  /** A table's hex address (8 or 32 digits) as Java's address. */
  static InetAddress address(String hex) {
    byte[] b = HexFormat.of().parseHex(hex);
    for (int w = 0; w + 4 <= b.length; w += 4) {
      byte t = b[w];
      b[w] = b[w + 3];
      b[w + 3] = t;
      t = b[w + 1];
      b[w + 1] = b[w + 2];
      b[w + 2] = t;
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + hex, e);
    }
  }
}
