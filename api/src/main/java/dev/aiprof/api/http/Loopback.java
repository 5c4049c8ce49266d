package dev.aiprof.api.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The rule for every listening socket of the agent: loopback only, unless the user said so twice
 * (the address and a {@code *.listen-public=true} setting). A typo in an address ({@code 0.0.0.0},
 * a host name that resolves to an interface address) then fails at start instead of exposing the
 * agent's receivers to the network. Pure and thread-safe.
 */
public final class Loopback {
  private Loopback() {}

  /** Whether {@code host} is a loopback address or resolves only to loopback addresses. */
  public static boolean isLoopback(String host) {
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Checks a listen address.
   *
   * @param key the address's setting or flag, for the message
   * @param host the host to bind
   * @param publicKey the setting that allows a non-loopback address
   * @param allowPublic that setting's value
   * @throws IllegalArgumentException naming both settings when a non-loopback address is not
   *     allowed
   */
  public static void check(String key, String host, String publicKey, boolean allowPublic) {
    if (allowPublic || isLoopback(host)) {
      return;
    }
    throw new IllegalArgumentException(
        key
            + " '"
            + host
            + "' is not a loopback address: the agent listens beyond this host only when told"
            + " so; set "
            + publicKey
            + "=true to listen there, or use 127.0.0.1 or [::1]");
  }
}
