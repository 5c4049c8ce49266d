package dev.aiprof.agent.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One reference process (server or client) started by the demo, and its stdout line protocol
 * ({@code progress TASK DONE TOTAL}, {@code ready PORT}, {@code result JSON}): progress goes to a
 * {@link Progress}; {@link #ready} and {@link #result} complete when their line comes. Its stderr
 * goes to the demo's. Closing its stdin asks it to end; {@link #close()} waits, then kills.
 */
final class Child implements AutoCloseable {
  private final String role;
  private final Process process;
  private final CompletableFuture<Integer> ready = new CompletableFuture<>();
  private final CompletableFuture<String> result = new CompletableFuture<>();

  private Child(String role, Process process, Progress progress) {
    this.role = role;
    this.process = process;
    Thread.ofPlatform().name("aiprof-demo-" + role).daemon().start(() -> read(progress));
  }

  static Child start(String role, List<String> command, Progress progress) throws IOException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new Child(role, p, progress);
  }

  private void read(Progress progress) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String[] w = line.split(" ", 4);
        switch (w[0]) {
          case "progress" -> {
            if (w.length == 4) {
              progress.update(w[1], Long.parseLong(w[2]), Long.parseLong(w[3]));
            }
          }
          case "ready" -> ready.complete(Integer.parseInt(w[1].strip()));
          case "result" -> result.complete(line.substring("result ".length()));
          default -> {
            // not the protocol: ignored
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended or wrote garbage (a bare "ready", a bad number): the futures fail below
    }
    IllegalStateException gone =
        new IllegalStateException("the reference " + role + " ended before it was done");
    ready.completeExceptionally(gone);
    result.completeExceptionally(gone);
  }

  long pid() {
    return process.pid();
  }

  /** The server's port, once it listens. */
  int ready(long timeoutSeconds) throws Exception {
    return await(ready, timeoutSeconds);
  }

  /** The client's result line, once it is done. */
  String result(long timeoutSeconds) throws Exception {
    return await(result, timeoutSeconds);
  }

  private <T> T await(CompletableFuture<T> f, long seconds) throws Exception {
    try {
      return f.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the reference " + role + " did not answer within " + seconds + " s", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  /** Closes its stdin (it ends) and waits up to {@code seconds} for it to exit. */
  boolean end(long seconds) throws InterruptedException {
    try {
      OutputStream in = process.getOutputStream();
      in.close();
    } catch (IOException e) {
      // already gone
    }
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (!end(20)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
