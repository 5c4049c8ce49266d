package dev.aiprof.collectors.otlp;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.sandbox.SandboxDirectory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OTLP trace receiver: listens on loopback for spans from workloads (OTLP/gRPC on 4317, OTLP/HTTP
 * on 4318 by default) and reports each span as a {@link dev.aiprof.api.phase.Phase} of its process
 * and thread to the context's phase listener, with the whole span kept as its {@link
 * dev.aiprof.api.phase.ForeignSpan} so the agent can forward it with its trace and span ids.
 * Metrics and logs are not received (HTTP 404, gRPC UNIMPLEMENTED).
 *
 * <p>Settings: see {@link OtlpSettings} ({@code otlp.enabled}, {@code otlp.grpc-address}, {@code
 * otlp.http-address}, {@code otlp.queue-size}, {@code otlp.max-request-size}).
 *
 * <p>Threads: gRPC requests are decoded and converted on a small worker pool ({@code
 * aiprof-otlp-grpc-N}) behind gRPC's Netty event loops; HTTP requests on a virtual thread each
 * ({@code aiprof-otlp-http-N}) behind the JDK server's dispatcher; one thread ({@code
 * aiprof-otlp-delivery}) calls the phase listener. {@link #start}, {@link #collect} and {@link
 * #close} are called by the runner's thread; {@link #grpcAddress()} and {@link #httpAddress()} may
 * be read from any thread after start.
 */
public final class OtlpCollector implements Collector {
  private static final System.Logger LOG = System.getLogger(OtlpCollector.class.getName());

  private final OtlpCounters counters = new OtlpCounters();
  private PhaseQueue queue;
  private ExecutorService grpcWorkers;
  private volatile GrpcReceiver grpc;
  private volatile HttpReceiver http;

  @Override
  public void start(CollectorContext context) throws IOException {
    OtlpSettings settings = OtlpSettings.from(context.settings());
    if (!settings.enabled()) {
      LOG.log(
          System.Logger.Level.INFO, "OTLP receiver off (" + OtlpSettings.ENABLED.key() + "=false)");
      return;
    }
    queue = new PhaseQueue(settings.queueSpans(), context.phases(), counters);
    queue.start();
    context.metrics(this::collect);
    context.offer(OtlpCollector.class, this); // where it listens, for whoever starts workloads
    TraceIntake intake =
        new TraceIntake(
            context.clock(),
            queue,
            counters,
            settings.limits(),
            new SandboxDirectory(context.paths(), System::nanoTime));
    if (!settings.grpc().off()) {
      grpcWorkers = workers("grpc");
      grpc =
          GrpcReceiver.start(
              settings.grpc(), settings.maxRequestBytes(), intake, counters, grpcWorkers);
    }
    if (!settings.http().off()) {
      HttpTracesHandler handler =
          new HttpTracesHandler(intake, counters, settings.maxRequestBytes());
      http = HttpReceiver.start(settings.http(), handler);
    }
    LOG.log(
        System.Logger.Level.INFO,
        "OTLP receiver listening: gRPC "
            + describe(grpcAddress())
            + ", HTTP "
            + describe(httpAddress()));
  }

  /** Where OTLP/gRPC is received, once started; empty when off. */
  public Optional<InetSocketAddress> grpcAddress() {
    GrpcReceiver g = grpc;
    return g == null ? Optional.empty() : Optional.of(g.address());
  }

  /** Where OTLP/HTTP is received, once started; empty when off. */
  public Optional<InetSocketAddress> httpAddress() {
    HttpReceiver h = http;
    return h == null ? Optional.empty() : Optional.of(h.address());
  }

  private void collect(MetricSink sink) {
    counters.report(sink, queue == null ? 0 : queue.queued());
  }

  @Override
  public void close() {
    if (grpc != null) {
      grpc.close();
      grpc = null;
    }
    if (http != null) {
      http.close();
      http = null;
    }
    grpcWorkers = stop(grpcWorkers);
    if (queue != null) {
      queue.close();
      queue = null;
    }
  }

  /**
   * A small pool for gRPC (2–4 threads): handlers decode and convert (CPU only) and never wait on
   * the consumer; gRPC has read the whole message before a handler runs.
   */
  private static ExecutorService workers(String transport) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory f =
        r ->
            Thread.ofPlatform()
                .name("aiprof-otlp-" + transport + "-" + n.incrementAndGet())
                .daemon()
                .unstarted(r);
    return Executors.newFixedThreadPool(
        Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 4), f);
  }

  private static ExecutorService stop(ExecutorService pool) {
    if (pool != null) {
      pool.shutdownNow();
      try {
        pool.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return null;
  }

  private static String describe(Optional<InetSocketAddress> a) {
    return a.map(x -> x.getAddress().getHostAddress() + ":" + x.getPort()).orElse("off");
  }
}
