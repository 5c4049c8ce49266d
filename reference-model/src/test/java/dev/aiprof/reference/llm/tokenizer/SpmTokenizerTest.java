package dev.aiprof.reference.llm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpmTokenizerTest {
  static final Vocabulary VOCAB = VocabularyBuilder.fromEmbeddedText(1024);
  static final SpmTokenizer TOK = new SpmTokenizer(VOCAB);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "where did the time go?",
        "",
        " leading, trailing and  double  spaces ",
        "lines\nand\ttabs\r\n",
        "naïve café, 東京, emoji 🙂 and <s> as text",
        "x",
      })
  void decodeOfEncodeIsTheText(String text) {
    int[] ids = TOK.encode(text);

    assertThat(ids[0]).isEqualTo(VOCAB.bos());
    assertThat(TOK.decode(ids)).isEqualTo(text);
  }

  @Test
  void frequentWordsAreOnePieceAndUnknownCharactersFallBackToBytes() {
    int[] ids = TOK.encode("the time é");

    assertThat(pieces(ids)).containsExactly("<s>", "▁the", "▁time", "▁", "<0xC3>", "<0xA9>");
  }

  @Test
  void theVocabularyIsTheSameEveryTimeAndFillsTheAskedSize() {
    Vocabulary again = VocabularyBuilder.fromEmbeddedText(1024);

    assertThat(VOCAB.size()).isEqualTo(1024);
    for (int i = 0; i < VOCAB.size(); i++) {
      assertThat(again.piece(i)).isEqualTo(VOCAB.piece(i));
      assertThat(again.score(i)).isEqualTo(VOCAB.score(i));
    }
  }

  @Test
  void pairsMergeInScoreOrder() {
    // "ab" merges first (score -2), so "abc" is never reached through "bc" (score -3).
    Vocabulary v = tiny(List.of("ab", "bc", "abc"), new float[] {-2, -3, -4});
    SpmTokenizer t = new SpmTokenizer(v);

    assertThat(pieces(t, t.encode("abc"))).containsExactly("<s>", "▁", "abc");
    assertThat(pieces(t, t.encode("bcd"))).containsExactly("<s>", "▁", "bc", "d");
  }

  private static Vocabulary tiny(List<String> extra, float[] scores) {
    Vocabulary base = VocabularyBuilder.fromText("", 354);
    List<String> p = new java.util.ArrayList<>();
    float[] s = Arrays.copyOf(new float[0], base.size() + extra.size());
    TokenType[] types = new TokenType[s.length];
    for (int i = 0; i < base.size(); i++) {
      p.add(base.piece(i));
      s[i] = base.score(i);
      types[i] = base.type(i);
    }
    for (int i = 0; i < extra.size(); i++) {
      p.add(extra.get(i));
      s[base.size() + i] = scores[i];
      types[base.size() + i] = TokenType.NORMAL;
    }
    return new Vocabulary(p, s, types, base.bos(), base.eos(), base.unk());
  }

  private static List<String> pieces(int[] ids) {
    return pieces(TOK, ids);
  }

  private static List<String> pieces(SpmTokenizer t, int[] ids) {
    return Arrays.stream(ids).mapToObj(t.vocabulary()::piece).toList();
  }
}
