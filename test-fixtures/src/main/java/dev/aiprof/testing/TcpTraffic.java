package dev.aiprof.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP workload run as a child JVM ({@link WorkloadProcess} or under {@code ip netns exec}) that
 * moves known bytes and prints what it did. It prints {@code ready}, then runs one command per line
 * of stdin:
 *
 * <ul>
 *   <li>{@code pair HOST MESSAGES SIZE REPLY HOLD_MS}: a server on HOST (port chosen by the kernel)
 *       and a client thread in this process; the client writes MESSAGES writes of SIZE bytes, the
 *       server answers REPLY bytes; the client prints {@code holding CLIENT_PORT SERVER_PORT
 *       CLIENT_TID SERVER_TID}, holds the connection HOLD_MS, closes, and when both ends are closed
 *       {@code done SENT RECEIVED LIFETIME_NS} (bytes the process's sockets wrote and read, the
 *       client's connect-to-close time);
 *   <li>{@code connect HOST PORT MESSAGES SIZE}: a client that connects, prints {@code connected
 *       LOCAL_PORT}, waits for a line ({@code send}), writes MESSAGES × SIZE bytes, shuts its
 *       output down, waits for the server's close and prints {@code done SENT LOCAL_PORT TID};
 *   <li>{@code serve HOST PORT}: accepts one connection, reads until its end, prints {@code done
 *       RECEIVED}; prints {@code listening} once bound.
 * </ul>
 */
public final class TcpTraffic {
  private TcpTraffic() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    System.out.flush();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] a = line.trim().split("\\s+");
      switch (a[0]) {
        case "pair" -> pair(a[1], i(a[2]), i(a[3]), i(a[4]), i(a[5]));
        case "connect" -> connect(in, a[1], i(a[2]), i(a[3]), i(a[4]));
        case "serve" -> serve(a[1], i(a[2]));
        case "stop" -> {
          return;
        }
        default -> System.out.println("error unknown command " + a[0]);
      }
      System.out.flush();
    }
  }

  private static int i(String s) {
    return Integer.parseInt(s);
  }

  /** This thread's kernel thread id. */
  static int tid() throws IOException {
    String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
    return Integer.parseInt(self.substring(self.lastIndexOf('/') + 1));
  }

  private static void pair(String host, int messages, int size, int reply, int holdMs)
      throws Exception {
    AtomicLong serverTid = new AtomicLong();
    AtomicLong serverSent = new AtomicLong();
    AtomicLong serverRead = new AtomicLong();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      Thread t =
          Thread.ofPlatform()
              .name("net-server")
              .start(
                  () -> {
                    try (Socket s = server.accept()) {
                      serverTid.set(tid());
                      serverRead.set(readFully(s.getInputStream(), (long) messages * size));
                      s.getOutputStream().write(new byte[reply]);
                      serverSent.set(reply);
                      s.getInputStream().read(); // the client's close
                    } catch (IOException e) {
                      throw new RuntimeException(e);
                    }
                  });
      long start = System.nanoTime();
      long clientRead;
      Socket c = new Socket();
      c.connect(server.getLocalSocketAddress());
      OutputStream out = c.getOutputStream();
      byte[] msg = new byte[size];
      for (int m = 0; m < messages; m++) {
        out.write(msg);
      }
      clientRead = readFully(c.getInputStream(), reply);
      while (serverTid.get() == 0) {
        Thread.onSpinWait();
      }
      System.out.println(
          "holding "
              + c.getLocalPort()
              + " "
              + server.getLocalPort()
              + " "
              + tid()
              + " "
              + serverTid.get());
      System.out.flush();
      Thread.sleep(holdMs);
      c.close();
      t.join();
      long lifetime = System.nanoTime() - start;
      long sent = (long) messages * size + serverSent.get();
      System.out.println("done " + sent + " " + (clientRead + serverRead.get()) + " " + lifetime);
    }
  }

  private static void connect(BufferedReader in, String host, int port, int messages, int size)
      throws Exception {
    try (Socket c = new Socket(host, port)) {
      System.out.println("connected " + c.getLocalPort());
      System.out.flush();
      in.readLine(); // "send"
      OutputStream out = c.getOutputStream();
      byte[] msg = new byte[size];
      for (int m = 0; m < messages; m++) {
        out.write(msg);
      }
      c.shutdownOutput();
      c.getInputStream().read(); // the server's close
      System.out.println("done " + (long) messages * size + " " + c.getLocalPort() + " " + tid());
    }
  }

  private static void serve(String host, int port) throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      System.out.println("listening");
      System.out.flush();
      try (Socket s = server.accept()) {
        long n = readFully(s.getInputStream(), Long.MAX_VALUE);
        System.out.println("done " + n);
      }
    }
  }

  /** Reads up to {@code max} bytes or to the end; returns how many. */
  private static long readFully(InputStream in, long max) throws IOException {
    byte[] buf = new byte[65536];
    long n = 0;
    while (n < max) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, max - n));
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }
}
