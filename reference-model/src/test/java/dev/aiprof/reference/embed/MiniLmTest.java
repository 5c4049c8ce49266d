package dev.aiprof.reference.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real all-MiniLM-L6-v2 on ONNX Runtime: meaning, not strings, decides what is near. */
class MiniLmTest {
  private static MiniLm model;

  @BeforeAll
  static void load() {
    model = MiniLm.load("cpu", 1);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void ranksAParaphraseAboveAnUnrelatedSentence() {
    float[] q = model.vector("How long until the first token of the answer appears?");
    float[] near =
        model.vector("Time to first token is the delay before a streaming answer starts.");
    float[] far = model.vector("Tomatoes ripen faster when stored next to bananas.");
    assertThat(q).hasSize(MiniLm.DIMENSIONS);
    assertThat(Retriever.cosine(q, near)).isGreaterThan(Retriever.cosine(q, far) + 0.2);
  }

  @Test
  void retrievesThePassageAboutTheQuestion() {
    List<String> passages = Corpus.passages();
    float[][] v = new float[passages.size()][];
    for (int i = 0; i < v.length; i++) {
      v[i] = model.vector(passages.get(i));
    }
    Retriever r = new Retriever(passages, v);
    Retriever.Hit hit = r.nearest(model.vector("why is my thread waiting for a free CPU?"));
    assertThat(hit.text()).contains("runqueue");
    assertThat(model.executionProvider()).isEqualTo("cpu");
  }
}
