package dev.aiprof.reference.llm.tokenizer;

import dev.aiprof.reference.llm.ModelTokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * SentencePiece-style tokenization over a {@link Vocabulary}, segmenting as llama.cpp's SPM
 * tokenizer does: a space is prefixed and every space becomes {@code ▁}; the text starts as one
 * symbol per character; the adjacent pair whose concatenation is a piece with the highest score is
 * merged first (ties: the leftmost); a final symbol that is no piece becomes its UTF-8 bytes'
 * {@code <0xAB>} tokens. Decoding reverses it and drops control tokens. Immutable, thread-safe.
 */
public final class SpmTokenizer implements ModelTokenizer {
  private final Vocabulary vocab;

  public SpmTokenizer(Vocabulary vocab) {
    this.vocab = vocab;
  }

  public Vocabulary vocabulary() {
    return vocab;
  }

  @Override
  public int[] encode(String text) {
    List<Integer> out = new ArrayList<>();
    out.add(vocab.bos());
    if (!text.isEmpty()) {
      new Session((" " + text).replace(" ", Vocabulary.SPACE)).tokenize(out);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public String decode(int[] tokens) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int t : tokens) {
      switch (vocab.type(t)) {
        case BYTE -> bytes.write(Integer.parseInt(vocab.piece(t).substring(3, 5), 16));
        case NORMAL, USER_DEFINED -> bytes.writeBytes(piece(t).getBytes(StandardCharsets.UTF_8));
        default -> {}
      }
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    boolean fromStart = tokens.length > 0 && tokens[0] == vocab.bos();
    return fromStart && text.startsWith(" ") ? text.substring(1) : text;
  }

  /** The text of one normal token ({@code ▁} as a space), e.g. to stream output token by token. */
  public String piece(int token) {
    return vocab.piece(token).replace(Vocabulary.SPACE, " ");
  }

  private record Bigram(int left, int right, float score, int size) {}

  /** One text's symbols (a linked list over its characters) and pending merges. */
  private final class Session {
    private final String text;
    private final int[] start;
    private final int[] length;
    private final int[] prev;
    private final int[] next;
    private final PriorityQueue<Bigram> queue =
        new PriorityQueue<>(
            (a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : a.left - b.left);

    Session(String text) {
      this.text = text;
      int n = text.codePointCount(0, text.length());
      start = new int[n];
      length = new int[n];
      prev = new int[n];
      next = new int[n];
      for (int i = 0, off = 0; i < n; i++) {
        start[i] = off;
        length[i] = Character.charCount(text.codePointAt(off));
        off += length[i];
        prev[i] = i - 1;
        next[i] = i + 1 < n ? i + 1 : -1;
      }
    }

    void tokenize(List<Integer> out) {
      for (int i = 1; i < start.length; i++) {
        tryAddBigram(i - 1, i);
      }
      while (!queue.isEmpty()) {
        Bigram b = queue.poll();
        if (length[b.left] == 0
            || length[b.right] == 0
            || length[b.left] + length[b.right] != b.size) {
          continue;
        }
        length[b.left] += length[b.right];
        length[b.right] = 0;
        next[b.left] = next[b.right];
        if (next[b.right] >= 0) {
          prev[next[b.right]] = b.left;
        }
        tryAddBigram(prev[b.left], b.left);
        tryAddBigram(b.left, next[b.left]);
      }
      for (int i = 0; i != -1; i = next[i]) {
        resegment(text.substring(start[i], start[i] + length[i]), out);
      }
    }

    private void tryAddBigram(int left, int right) {
      if (left < 0 || right < 0) {
        return;
      }
      String s = text.substring(start[left], start[right] + length[right]);
      int id = vocab.id(s);
      if (id < 0) {
        return;
      }
      queue.add(new Bigram(left, right, vocab.score(id), s.length()));
    }

    /**
     * A final symbol is a piece (merges only make pieces) or one character that is none; llama.cpp
     * also keeps a reverse-merge map for symbols that are neither, which cannot occur here.
     */
    private void resegment(String symbol, List<Integer> out) {
      int id = vocab.id(symbol);
      if (id >= 0) {
        out.add(id);
        return;
      }
      for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
        out.add(vocab.byteToken(b));
      }
    }
  }
}
