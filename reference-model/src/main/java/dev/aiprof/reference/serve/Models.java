package dev.aiprof.reference.serve;

import dev.aiprof.reference.ProgressLine;
import dev.aiprof.reference.llm.Generator;
import dev.aiprof.reference.llm.Generators;
import dev.aiprof.reference.llm.ModelShape;
import dev.aiprof.reference.llm.PageCache;
import dev.aiprof.reference.llm.SyntheticModel;
import dev.aiprof.reference.llm.gguf.Progress;
import dev.aiprof.reference.trace.Steps;
import dev.aiprof.reference.trace.Steps.Step;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the server gets its generators: the synthetic Llama-architecture GGUF model (its weights
 * come from a seed: its text is nonsense), written on first run ({@code write model}, progress
 * {@code model-write}), evicted from the page cache and read from disk ({@code load MODEL},
 * progress {@code model-load}: a real disk read) on the engine the settings name.
 */
final class Models {
  private Models() {}

  /** The shape of a {@code --model-size}. */
  static ModelShape shape(String size) {
    return switch (size) {
      case "tiny" -> ModelShape.TINY;
      case "base" -> ModelShape.parse("dim=512,layers=12,heads=8,kv_heads=2,ffn=1536");
      default -> ModelShape.DEFAULT;
    };
  }

  static Path file(ServerSettings s) {
    return s.modelDir()
        .resolve(SyntheticModel.NAME + "-" + s.modelSize() + "-" + s.seed() + ".gguf");
  }

  static Generator open(ServerSettings s, Steps steps, ProgressLine out) throws IOException {
    Path file = file(s);
    try (Step w = steps.open("write model", SpanKind.INTERNAL, Context.root(), true)) {
      SyntheticModel.ModelFile f =
          SyntheticModel.writeIfAbsent(
              file, s.seed(), shape(s.modelSize()), progress("model-write", out));
      w.span().setAttribute("aiprof.reference.model.created", f.created());
      w.span().setAttribute("aiprof.reference.model.bytes", f.bytes());
      out.progress("model-write", f.bytes(), f.bytes());
    }
    try (Step l =
        steps.open("load " + SyntheticModel.NAME, SpanKind.INTERNAL, Context.root(), true)) {
      l.span().setAttribute("aiprof.reference.page_cache_evicted", PageCache.evict(file));
      Generator g = Generators.open(file, s.engine(), progress("model-load", out));
      l.span().setAttribute("aiprof.reference.engine", g.engine());
      return g;
    }
  }

  /** Progress in bytes, as at most one line per percent. */
  private static Progress progress(String task, ProgressLine out) {
    long[] last = {-1};
    return (done, total) -> {
      long pct = total <= 0 ? 100 : done * 100 / total;
      if (pct != last[0]) {
        last[0] = pct;
        out.progress(task, done, total);
      }
    };
  }
}
