package dev.aiprof.agent.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pod metadata from the API server: LIST then WATCH {@code
 * /api/v1/pods?fieldSelector=spec.nodeName=<node>} on a background thread, keeping this node's pods
 * in memory, so {@link #pods()} never touches the network.
 *
 * <p>The watch resumes from the last resourceVersion seen (bookmarks included) when the server ends
 * it; a 410 Gone (as an HTTP status or an ERROR event) makes it LIST again; other errors back off
 * exponentially with jitter. The service account needs {@code list} and {@code watch} on pods.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} (idempotent) stops the thread and aborts
 * the stream. Thread-safe.
 */
final class ApiServerPodSource implements PodSource {
  private static final System.Logger LOG = System.getLogger(ApiServerPodSource.class.getName());

  private final KubeClient client;
  private final URI base;
  private final String selector;
  private final Duration watchTimeout;
  private final Backoff backoff;
  private final Map<String, Pod> store = new ConcurrentHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final CountDownLatch firstList = new CountDownLatch(1);
  private final Duration firstListWait;
  private final Thread thread;
  private final AtomicLong lists = new AtomicLong();
  private final AtomicLong watches = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean synced;
  private volatile String lastError = "not listed yet";
  private String resourceVersion; // confined to the thread
  private boolean failing; // confined to the thread

  /**
   * @param client the HTTPS client with the service-account token
   * @param base the API server, e.g. {@code https://10.96.0.1:443}
   * @param nodeName this node: only its pods are listed and watched
   * @param backoffMin first wait after an error
   * @param backoffMax longest wait after repeated errors
   * @param watchTimeout how long the server keeps one watch open (timeoutSeconds)
   */
  public ApiServerPodSource(
      KubeClient client,
      URI base,
      String nodeName,
      Duration backoffMin,
      Duration backoffMax,
      Duration watchTimeout) {
    this.client = client;
    this.base = base;
    this.selector =
        "fieldSelector=" + URLEncoder.encode("spec.nodeName=" + nodeName, StandardCharsets.UTF_8);
    this.watchTimeout = watchTimeout;
    this.firstListWait = client.timeout();
    this.backoff = new Backoff(backoffMin, backoffMax);
    this.thread = Thread.ofPlatform().daemon().name("aiprof-pod-watch").unstarted(this::run);
  }

  /** Starts listing and watching in the background; returns this. */
  public ApiServerPodSource start() {
    thread.start();
    return this;
  }

  /**
   * This node's pods as last listed and watched. Before the first LIST has succeeded, waits for it
   * up to the request timeout, then throws.
   */
  @Override
  public List<Pod> pods() throws IOException {
    try {
      firstList.await(firstListWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for the first pod list");
    }
    if (!synced) {
      throw new IOException("pods not listed from the API server yet: " + lastError);
    }
    return List.copyOf(store.values());
  }

  /** LIST requests made so far (the first, and one after each 410 Gone). */
  public long lists() {
    return lists.get();
  }

  /** WATCH requests made so far. */
  public long watches() {
    return watches.get();
  }

  /** Failed requests so far. */
  public long failures() {
    return failures.get();
  }

  private void run() {
    while (closed.getCount() > 0) {
      try {
        if (resourceVersion == null) {
          list();
        }
        long start = System.nanoTime();
        watch();
        if (System.nanoTime() - start < Duration.ofSeconds(1).toNanos()) {
          pause(backoff.next()); // a server (or proxy) that ends watches at once: no hot loop
        } else {
          backoff.reset();
        }
      } catch (Gone e) {
        resourceVersion = null; // list again at once
      } catch (IOException | RuntimeException e) {
        if (closed.getCount() == 0) {
          return;
        }
        if (e instanceof KubeApiException k && k.status() == 410) {
          resourceVersion = null;
        }
        failed(e);
        pause(backoff.next());
      }
    }
  }

  private void list() throws IOException {
    PodJson.PodList l = PodJson.podList(client.get(base.resolve("/api/v1/pods?" + selector)));
    lists.incrementAndGet();
    Set<String> seen = new HashSet<>();
    for (Pod p : l.pods()) {
      store.put(p.uid(), p);
      seen.add(p.uid());
    }
    store.keySet().retainAll(seen);
    resourceVersion = l.resourceVersion();
    if (!synced) {
      LOG.log(System.Logger.Level.INFO, "listed " + seen.size() + " pods from the API server");
    }
    synced = true;
    firstList.countDown();
    recovered();
  }

  private void watch() throws IOException {
    URI uri =
        base.resolve(
            "/api/v1/pods?"
                + selector
                + "&watch=true&allowWatchBookmarks=true&resourceVersion="
                + URLEncoder.encode(resourceVersion, StandardCharsets.UTF_8)
                + "&timeoutSeconds="
                + Math.max(1, watchTimeout.toSeconds()));
    watches.incrementAndGet();
    try (InputStream in = client.stream(uri);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      recovered();
      Watchdog dog = new Watchdog(in, watchTimeout.plus(min(watchTimeout, Duration.ofSeconds(30))));
      try {
        String line;
        while ((line = r.readLine()) != null) {
          if (!line.isBlank()) {
            apply(PodJson.watchEvent(line));
          }
        }
      } catch (IOException e) {
        throw dog.fired() ? new IOException("watch outlived its timeout; renewing it", e) : e;
      } finally {
        dog.cancel();
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private void apply(PodJson.WatchEvent e) throws IOException {
    switch (e.type()) {
      case "ADDED", "MODIFIED" -> e.pod().ifPresent(p -> store.put(p.uid(), p));
      case "DELETED" -> e.pod().ifPresent(p -> store.remove(p.uid()));
      case "BOOKMARK" -> {}
      case "ERROR" -> {
        if (e.errorCode() == 410) {
          throw new Gone();
        }
        throw new IOException("watch ended with an error event, code " + e.errorCode());
      }
      default -> throw new IOException("unknown watch event type " + e.type());
    }
    if (!e.resourceVersion().isEmpty()) {
      resourceVersion = e.resourceVersion();
    }
  }

  /** Counts every failure; logs the first of a run of failures only. */
  private void failed(Exception e) {
    failures.incrementAndGet();
    lastError = String.valueOf(e.getMessage());
    if (!failing) {
      failing = true;
      LOG.log(
          System.Logger.Level.WARNING,
          "pod metadata from the API server unavailable, retrying with backoff: " + lastError);
    }
  }

  private void recovered() {
    if (failing) {
      failing = false;
      LOG.log(System.Logger.Level.INFO, "pod metadata from the API server available again");
    }
    lastError = null;
  }

  private void pause(Duration d) {
    try {
      closed.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed.countDown();
    }
  }

  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return;
    }
    closed.countDown();
    client.close();
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "API server " + base;
  }

  /** The resourceVersion is too old: list again. */
  private static final class Gone extends IOException {
    private static final long serialVersionUID = 1L;
  }
}
