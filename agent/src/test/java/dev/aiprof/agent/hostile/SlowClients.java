package dev.aiprof.agent.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Slow-loris connections: each sends a request line and then one header line every second, never
 * finishing the request. {@link #open} counts those the server has closed. Not thread-safe; one
 * trickling thread while open.
 */
final class SlowClients implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();
  private final Thread trickle;
  private volatile boolean stop;

  SlowClients(int port, int n, String requestLine) throws IOException {
    for (int i = 0; i < n; i++) {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(50);
      s.getOutputStream().write((requestLine + "\r\nHost: x\r\n").getBytes(StandardCharsets.UTF_8));
      sockets.add(s);
    }
    trickle = Thread.ofPlatform().daemon().name("slow-clients").start(this::trickle);
  }

  private void trickle() {
    for (int i = 0; !stop; i++) {
      for (Socket s : sockets) {
        try {
          OutputStream o = s.getOutputStream();
          o.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          // closed by the server: what the test waits for
        }
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** How many the server has not closed yet (a read sees neither EOF nor a reset). */
  int open() {
    int n = 0;
    for (Socket s : sockets) {
      try {
        InputStream in = s.getInputStream();
        int b = in.read();
        while (b >= 0) {
          b = in.read(); // the server's 4xx answer, then EOF
        }
      } catch (java.net.SocketTimeoutException e) {
        n++;
      } catch (IOException e) {
        // reset: closed
      }
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    stop = true;
    trickle.interrupt();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
