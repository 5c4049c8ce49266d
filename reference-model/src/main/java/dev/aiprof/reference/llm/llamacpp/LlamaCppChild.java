package dev.aiprof.reference.llm.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.CacheType;
import de.kherud.llama.args.LogFormat;
import dev.aiprof.reference.llm.gguf.GgufReader;
import dev.aiprof.reference.llm.tokenizer.Vocabulary;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * The child process of the llama.cpp engine: {@code LlamaCppChild MODEL THREADS CONTEXT}. Loads the
 * model with de.kherud:llama (F32 KV cache, one slot, prompt cache on), then answers the {@link
 * Protocol} on stdin/stdout until {@code quit} or end of input, and halts (de.kherud's JVM does not
 * exit by itself). Every step is one completion of one token, greedy (temperature 0), with the
 * sequence so far as token ids: a decode step reuses the cached prefix, so it evaluates one token.
 */
public final class LlamaCppChild {
  private final LlamaModel model;
  private final PieceIndex pieces;
  private int[] sequence = new int[0];

  private LlamaCppChild(LlamaModel model, PieceIndex pieces) {
    this.model = model;
    this.pieces = pieces;
  }

  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err); // stdout carries the protocol only
    LlamaCppChild child;
    try {
      Path model = Path.of(args[0]);
      PieceIndex pieces = new PieceIndex(Vocabulary.readFrom(GgufReader.read(model)));
      LlamaModel.setLogger(LogFormat.TEXT, LlamaCppChild::log);
      child = new LlamaCppChild(new LlamaModel(parameters(model, args)), pieces);
    } catch (Throwable e) {
      out.println(
          Protocol.PREFIX + Protocol.ERROR + " " + Protocol.oneLine("loading failed: " + e));
      Runtime.getRuntime().halt(1);
      return;
    }
    out.println(Protocol.PREFIX + Protocol.READY);
    child.serve(out);
    Runtime.getRuntime().halt(0);
  }

  private static ModelParameters parameters(Path model, String[] args) {
    int threads = Integer.parseInt(args[1]);
    return new ModelParameters()
        .setModel(model.toString())
        .setThreads(threads)
        .setThreadsBatch(threads)
        .setCtxSize(Integer.parseInt(args[2]))
        .setParallel(1)
        .setCacheTypeK(CacheType.F32)
        .setCacheTypeV(CacheType.F32)
        .setSeed(0);
  }

  private static void log(LogLevel level, String message) {
    if (level == LogLevel.WARN || level == LogLevel.ERROR) {
      System.err.print(message);
    }
  }

  private void serve(PrintStream out) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals(Protocol.QUIT)) {
          break;
        }
        String answer;
        try {
          answer = answer(line);
        } catch (RuntimeException e) {
          answer = Protocol.ERROR + " " + Protocol.oneLine(e.toString());
        }
        out.println(Protocol.PREFIX + answer);
      }
    } catch (java.io.IOException e) {
      System.err.println("llama.cpp child: stdin failed: " + e);
    } finally {
      model.close();
    }
  }

  private String answer(String line) {
    String[] parts = line.split(" ", 2);
    String arg = parts.length > 1 ? parts[1] : "";
    return switch (parts[0]) {
      case Protocol.PREFILL -> {
        sequence = Protocol.parseIds(arg);
        yield Protocol.TOKEN + " " + step(false);
      }
      case Protocol.DECODE -> Protocol.TOKEN + " " + step(true);
      case Protocol.ENCODE -> {
        String text = new String(Base64.getDecoder().decode(arg), StandardCharsets.UTF_8);
        yield Protocol.TOKENS + " " + Protocol.ids(model.encode(text));
      }
      default -> throw new IllegalArgumentException("unknown request '" + parts[0] + "'");
    };
  }

  /**
   * Completes one token after {@link #sequence} and appends it. A prefill does not reuse the
   * previous sequence's cache (the contract: every prompt token runs); a decode step reuses all but
   * the last token.
   */
  private int step(boolean reuseCache) {
    if (sequence.length == 0) {
      throw new IllegalStateException("decode before prefill");
    }
    InferenceParameters p =
        new InferenceParameters("")
            .setNPredict(1)
            .setTemperature(0)
            .setCachePrompt(reuseCache)
            .setSeed(0);
    promptIds(p, sequence);
    int next = pieces.id(model.complete(p));
    sequence = Arrays.copyOf(sequence, sequence.length + 1);
    sequence[sequence.length - 1] = next;
    return next;
  }

  /**
   * Sets the prompt as token ids. de.kherud's setPrompt takes text only, but the server it wraps
   * accepts a JSON array of ids for {@code prompt}; its parameters are a package-private map of
   * JSON fragments, reached here by reflection.
   */
  @SuppressWarnings("unchecked")
  private static void promptIds(InferenceParameters p, int[] ids) {
    try {
      Field f = p.getClass().getSuperclass().getDeclaredField("parameters");
      f.setAccessible(true);
      ((Map<String, String>) f.get(p)).put("prompt", "[" + Protocol.ids(ids) + "]");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "de.kherud:llama changed: cannot set prompt token ids: " + e, e);
    }
  }
}
