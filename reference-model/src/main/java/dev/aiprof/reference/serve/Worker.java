package dev.aiprof.reference.serve;

import dev.aiprof.reference.embed.MiniLm;
import dev.aiprof.reference.embed.Retriever;
import dev.aiprof.reference.llm.Generator;
import dev.aiprof.reference.trace.GenAi;
import dev.aiprof.reference.trace.Steps;
import dev.aiprof.reference.trace.Steps.Step;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Arrays;

/**
 * One request's work on an inference worker thread, each step a span and a libaiprof.so phase:
 * {@code tokenize} → {@code embeddings all-MiniLM-L6-v2} → {@code retrieve} → {@code
 * text_completion MODEL} (containing {@code prefill}, one {@code decode} per further token, {@code
 * detokenize}) → {@code persist} (the durable request log). Owns one generator: not thread-safe,
 * one worker per thread.
 */
final class Worker {
  private final Steps steps;
  private final MiniLm embedder;
  private final Retriever retriever;
  private final Generator generator;
  private final Injector injector;
  private final RequestLog log;

  Worker(
      Steps steps,
      MiniLm embedder,
      Retriever retriever,
      Generator generator,
      Injector injector,
      RequestLog log) {
    this.steps = steps;
    this.embedder = embedder;
    this.retriever = retriever;
    this.generator = generator;
    this.injector = injector;
    this.log = log;
  }

  /**
   * @param arrivalNanos System.nanoTime() when the request arrived (for time to first token)
   */
  Completion handle(String question, int maxTokens, long arrivalNanos) {
    int[] questionTokens;
    try (Step s = step("tokenize", "tokenize")) {
      questionTokens = generator.tokenizer().encode(question);
      s.span().setAttribute(GenAi.INPUT_TOKENS, (long) questionTokens.length);
    }
    float[] query;
    try (Step s = step("embed", GenAi.spanName(GenAi.EMBEDDINGS, MiniLm.MODEL))) {
      genAi(s.span(), GenAi.EMBEDDINGS, MiniLm.MODEL);
      s.span().setAttribute(GenAi.DIMENSIONS, (long) MiniLm.DIMENSIONS);
      s.span().setAttribute("aiprof.reference.execution_provider", embedder.executionProvider());
      query = embedder.vector(question);
      s.span().setAttribute(GenAi.INPUT_TOKENS, (long) questionTokens.length);
    }
    Retriever.Hit hit;
    try (Step s = step("retrieve", "retrieve")) {
      hit = retriever.nearest(query);
      s.span().setAttribute("aiprof.reference.passage", hit.index());
      s.span().setAttribute("aiprof.reference.score", hit.score());
    }
    Completion c = generate(hit, questionTokens, maxTokens, arrivalNanos);
    try (Step s = step("persist", "persist")) {
      log.append(question, c);
    }
    return c;
  }

  private Completion generate(Retriever.Hit hit, int[] question, int maxTokens, long arrival) {
    String model = generator.model();
    try (Step g = steps.span(GenAi.spanName(GenAi.TEXT_COMPLETION, model), SpanKind.INTERNAL)) {
      genAi(g.span(), GenAi.TEXT_COMPLETION, model);
      g.span().setAttribute(GenAi.MAX_TOKENS, (long) maxTokens);
      g.span().setAttribute("aiprof.reference.engine", generator.engine());
      int[] prompt = prompt(generator.tokenizer().encode(hit.text()), question);
      int[] out = new int[maxTokens];
      int n = 0;
      int token;
      try (Step s = step("prefill", "prefill")) {
        token = generator.prefill(prompt);
        s.span().setAttribute(GenAi.INPUT_TOKENS, (long) prompt.length);
      }
      long first = System.nanoTime();
      out[n++] = token;
      while (n < maxTokens && !generator.isEnd(token)) {
        try (Step s = step("decode", "decode")) {
          token = generator.decode();
          s.span().setAttribute("aiprof.reference.token_index", (long) n);
        }
        out[n++] = token;
      }
      long last = System.nanoTime();
      String text;
      try (Step s = step("detokenize", "detokenize")) {
        text = generator.tokenizer().decode(Arrays.copyOf(out, n));
      }
      g.span().setAttribute(GenAi.INPUT_TOKENS, (long) prompt.length);
      g.span().setAttribute(GenAi.OUTPUT_TOKENS, (long) n);
      long tpot = n > 1 ? (last - first) / (n - 1) : 0;
      return new Completion(text, hit.text(), prompt.length, n, first - arrival, tpot);
    }
  }

  /** The passage's tokens (with its beginning-of-sequence token) then the question's (without). */
  static int[] prompt(int[] passage, int[] question) {
    int skip = question.length > 0 ? 1 : 0;
    int[] p = Arrays.copyOf(passage, passage.length + question.length - skip);
    System.arraycopy(question, skip, p, passage.length, question.length - skip);
    return p;
  }

  private static void genAi(Span span, String operation, String model) {
    span.setAttribute(GenAi.OPERATION, operation);
    span.setAttribute(GenAi.PROVIDER, GenAi.PROVIDER_NAME);
    span.setAttribute(GenAi.REQUEST_MODEL, model);
    span.setAttribute(GenAi.RESPONSE_MODEL, model);
  }

  /**
   * A marked step; the injected load runs inside it when {@code key} (tokenize, embed, retrieve,
   * prefill, decode, detokenize, persist) is the injected phase.
   */
  private Step step(String key, String name) {
    Step s = steps.marked(name);
    Injector.Window w = injector.during(key);
    return w == Injector.Window.NONE ? s : s.with(w);
  }
}
