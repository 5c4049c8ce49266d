package dev.aiprof.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces made for one test, joined by a veth pair with IPv4 addresses ({@link
 * #clientAddress}, {@link #serverAddress}) that no other test's traffic crosses. {@link
 * #serverReachable} makes the client's segments vanish for a while, and TCP retransmits them (this
 * kernel has no sch_netem for {@code tc netem loss}). Names are unique and contain "net"; close
 * deletes both namespaces (and with them the veth pair). Needs root and {@code ip} (iproute2).
 */
public final class NetnsPair implements AutoCloseable {
  private final String client;
  private final String server;
  private final int subnet;
  private final String tag;
  private final List<String> made = new ArrayList<>();

  private NetnsPair(String tag, int subnet) {
    this.client = "aiprof-net-c-" + tag;
    this.server = "aiprof-net-s-" + tag;
    this.subnet = subnet;
    this.tag = tag;
  }

  /** Creates the pair, its link up. */
  public static NetnsPair create() {
    String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    NetnsPair p = new NetnsPair(tag, 1 + ThreadLocalRandom.current().nextInt(250));
    try {
      p.setUp(tag);
      return p;
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }

  private void setUp(String tag) {
    String vc = "vnetc" + tag;
    String vs = "vnets" + tag;
    run("ip", "netns", "add", client);
    made.add(client);
    run("ip", "netns", "add", server);
    made.add(server);
    run(
        "ip", "link", "add", vc, "netns", client, "type", "veth", "peer", "name", vs, "netns",
        server);
    run("ip", "-n", client, "addr", "add", clientAddress() + "/24", "dev", vc);
    run("ip", "-n", server, "addr", "add", serverAddress() + "/24", "dev", vs);
    for (String ns : List.of(client, server)) {
      run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    run("ip", "-n", client, "link", "set", vc, "up");
    run("ip", "-n", server, "link", "set", vs, "up");
  }

  /**
   * Takes the server's address away (false) or gives it back (true). Meanwhile the link stays up
   * and the client's segments still reach the server's namespace, which drops them (not its
   * address): silent loss that TCP repairs by retransmitting, as on a lossy network.
   */
  public void serverReachable(boolean yes) {
    run(
        "ip",
        "-n",
        server,
        "addr",
        yes ? "add" : "del",
        serverAddress() + "/24",
        "dev",
        "vnets" + tag);
  }

  public String clientNamespace() {
    return client;
  }

  public String serverNamespace() {
    return server;
  }

  public String clientAddress() {
    return "10.213." + subnet + ".1";
  }

  public String serverAddress() {
    return "10.213." + subnet + ".2";
  }

  /** The command prefix that runs a program in namespace {@code ns}. */
  public static List<String> in(String ns) {
    return List.of("ip", "netns", "exec", ns);
  }

  /**
   * A counter of the namespace's {@code /proc/net/snmp} Tcp line (e.g. "RetransSegs"): the kernel's
   * own accounting for that namespace only.
   */
  public long tcpCounter(String ns, String name) {
    String snmp = run("ip", "netns", "exec", ns, "cat", "/proc/net/snmp");
    String[] header = null;
    for (String line : snmp.split("\n")) {
      if (!line.startsWith("Tcp:")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (header == null) {
        header = f;
        continue;
      }
      for (int i = 1; i < header.length; i++) {
        if (header[i].equals(name)) {
          return Long.parseLong(f[i]);
        }
      }
    }
    throw new IllegalStateException("no Tcp " + name + " in /proc/net/snmp of " + ns);
  }

  /** Runs a command, returns its stdout; a non-zero exit throws with its output. */
  public static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
    }
  }

  @Override
  public void close() {
    for (String ns : made.reversed()) {
      try {
        run("ip", "netns", "delete", ns);
      } catch (RuntimeException e) {
        System.err.println("cannot remove network namespace " + ns + ": " + e.getMessage());
      }
    }
    made.clear();
  }
}
