package dev.aiprof.reference.serve;

import com.sun.net.httpserver.HttpServer;
import dev.aiprof.reference.Flags;
import dev.aiprof.reference.ProgressLine;
import dev.aiprof.reference.embed.Corpus;
import dev.aiprof.reference.embed.MiniLm;
import dev.aiprof.reference.embed.Retriever;
import dev.aiprof.reference.llm.Generator;
import dev.aiprof.reference.trace.Marker;
import dev.aiprof.reference.trace.Steps;
import dev.aiprof.reference.trace.Steps.Step;
import dev.aiprof.reference.trace.Telemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code aiprof-reference server [flags]}: loads all-MiniLM-L6-v2 and embeds the corpus, writes
 * (first run) and loads the generator's model, then serves {@code POST /v1/completions} on loopback
 * (an ephemeral port, printed as {@code ready PORT}) until its stdin closes. Start-up steps are
 * spans of their own ({@code load ...}, {@code embed corpus}).
 */
public final class ServerMain {
  private static final int QUEUE = 1024;

  private ServerMain() {}

  public static void run(String[] args) throws Exception {
    ServerSettings s = ServerSettings.from(Flags.parse(args, 1, ServerSettings.KEYS));
    ProgressLine out = new ProgressLine(System.out);
    Files.createDirectories(s.modelDir());
    try (Telemetry t =
        Telemetry.start("aiprof-reference-server", s.traces(), s.metricsDir(), System.getenv())) {
      Marker marker = s.marker() == null ? Marker.NONE : Marker.load(s.marker());
      Steps steps = new Steps(t.api().getTracer("dev.aiprof.reference.serve"), marker);
      try (MiniLm embedder = loadEmbedder(s, steps);
          Injector injector = Injector.of(s);
          RequestLog log = new RequestLog(s.modelDir().resolve("requests.log"))) {
        Retriever retriever = embedCorpus(embedder, steps, out);
        List<Generator> generators = new ArrayList<>();
        try {
          for (int i = 0; i < s.workers(); i++) {
            generators.add(Models.open(s, steps, out));
          }
          serve(s, t, steps, embedder, retriever, generators, injector, log, out);
        } finally {
          generators.forEach(Generator::close);
        }
      }
    }
  }

  private static MiniLm loadEmbedder(ServerSettings s, Steps steps) {
    try (Step st = steps.open("load " + MiniLm.MODEL, SpanKind.INTERNAL, Context.root(), true)) {
      MiniLm m = MiniLm.load(s.embedProvider(), s.embedThreads());
      st.span().setAttribute("aiprof.reference.execution_provider", m.executionProvider());
      return m;
    }
  }

  private static Retriever embedCorpus(MiniLm embedder, Steps steps, ProgressLine out) {
    List<String> passages = Corpus.passages();
    float[][] v = new float[passages.size()][];
    try (Step st = steps.open("embed corpus", SpanKind.INTERNAL, Context.root(), true)) {
      for (int i = 0; i < v.length; i++) {
        v[i] = embedder.vector(passages.get(i));
        out.progress("corpus", i + 1, v.length);
      }
    }
    return new Retriever(passages, v);
  }

  private static void serve(
      ServerSettings s,
      Telemetry t,
      Steps steps,
      MiniLm embedder,
      Retriever retriever,
      List<Generator> generators,
      Injector injector,
      RequestLog log,
      ProgressLine out)
      throws IOException, InterruptedException {
    BlockingQueue<Job> queue = new ArrayBlockingQueue<>(QUEUE);
    List<Worker> workers = new ArrayList<>();
    for (Generator g : generators) {
      workers.add(new Worker(steps, embedder, retriever, g, injector, log));
    }
    GenAiMetrics metrics = new GenAiMetrics(t.api().getMeter("dev.aiprof.reference.serve"));
    AtomicInteger n = new AtomicInteger();
    ExecutorService http =
        Executors.newFixedThreadPool(
            4, r -> Thread.ofPlatform().name("http-" + n.getAndIncrement()).daemon().unstarted(r));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext(
        "/v1/completions",
        new CompletionHandler(
            t.api(), steps, queue, metrics, generators.getFirst().model(), s.maxTokens()));
    server.setExecutor(http);
    try (WorkerPool pool = new WorkerPool(workers, queue, s.cpu())) {
      server.start();
      out.ready(server.getAddress().getPort());
      while (System.in.read() >= 0) {
        // serve until the parent closes our stdin
      }
      server.stop(1);
    } finally {
      http.shutdownNow();
    }
  }
}
