package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Decoding of recorded kubelet and API server responses. */
class PodJsonTest {
  static Map<String, Pod> byName(List<Pod> pods) {
    return pods.stream().collect(Collectors.toMap(Pod::name, Function.identity()));
  }

  @Test
  void kubeletPodsOnAContainerdNode() throws IOException {
    PodJson.PodList list = PodJson.podList(Fixtures.bytes("pods-containerd.json"));
    assertThat(list.resourceVersion()).isEmpty();
    Map<String, Pod> pods = byName(list.pods());
    assertThat(pods)
        .containsOnlyKeys(
            "trainer-7d9f8b6c5-x2x9q",
            "inference-0",
            "coredns-5d78c9869d-q7m2k",
            "debug-shell",
            "batch-eval-2kq9z",
            "etcd-gpu-node-1");
    Pod trainer = pods.get("trainer-7d9f8b6c5-x2x9q");
    assertThat(trainer.namespace()).isEqualTo("ml");
    assertThat(trainer.uid()).isEqualTo(Fixtures.TRAINER_UID);
    assertThat(trainer.nodeName()).isEqualTo(Fixtures.NODE);
    assertThat(trainer.labels())
        .containsEntry("app.kubernetes.io/name", "trainer")
        .containsEntry("pod-template-hash", "7d9f8b6c5");
    assertThat(trainer.containers())
        .extracting(Pod.Container::name, Pod.Container::runtime, Pod.Container::init)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("fetch-weights", "containerd", true),
            org.assertj.core.groups.Tuple.tuple("trainer", "containerd", false),
            org.assertj.core.groups.Tuple.tuple("metrics", "containerd", false));
    assertThat(trainer.container(Fixtures.TRAINER_ID)).map(Pod.Container::name).contains("trainer");
    assertThat(trainer.containers()).allSatisfy(c -> assertThat(c.id()).hasSize(64));
  }

  @Test
  void aPendingContainerHasNoIdYetAndAStaticPodKeepsItsHashUid() throws IOException {
    Map<String, Pod> pods = byName(PodJson.podList(Fixtures.bytes("pods-containerd.json")).pods());
    Pod.Container eval = pods.get("batch-eval-2kq9z").containers().getFirst();
    assertThat(eval.name()).isEqualTo("eval");
    assertThat(eval.id()).isEmpty();
    assertThat(eval.runtime()).isEmpty();
    assertThat(pods.get("etcd-gpu-node-1").uid()).isEqualTo("a6d2b0f7c1e94b3c8d5e7f9a0b1c2d3e");
    assertThat(pods.get("debug-shell").labels()).isEmpty();
  }

  @Test
  void kubeletPodsOnACrioNode() throws IOException {
    Map<String, Pod> pods = byName(PodJson.podList(Fixtures.bytes("pods-crio.json")).pods());
    Pod tokenizer = pods.get("tokenizer-6c8b7d9f4-h5j6k");
    assertThat(tokenizer.nodeName()).isEqualTo("cpu-node-7");
    assertThat(tokenizer.containers())
        .extracting(Pod.Container::name)
        .containsExactly("warmup", "tokenizer");
    assertThat(tokenizer.containers()).allSatisfy(c -> assertThat(c.runtime()).isEqualTo("cri-o"));
    assertThat(pods.get("node-exporter-m4x8p").containers()).hasSize(2);
  }

  @Test
  void apiServerListCarriesItsResourceVersion() throws IOException {
    PodJson.PodList list = PodJson.podList(Fixtures.bytes("apiserver-list.json"));
    assertThat(list.resourceVersion()).isEqualTo("48213");
    assertThat(list.pods())
        .extracting(Pod::name)
        .containsExactly("coredns-5d78c9869d-q7m2k", "debug-shell");
  }

  @Test
  void watchEvents() throws IOException {
    List<PodJson.WatchEvent> events =
        new String(Fixtures.bytes("apiserver-watch.jsonl"), StandardCharsets.UTF_8)
            .lines()
            .map(PodJsonTest::event)
            .toList();
    assertThat(events)
        .extracting(PodJson.WatchEvent::type, PodJson.WatchEvent::resourceVersion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ADDED", "48214"),
            org.assertj.core.groups.Tuple.tuple("MODIFIED", "48220"),
            org.assertj.core.groups.Tuple.tuple("BOOKMARK", "48230"),
            org.assertj.core.groups.Tuple.tuple("DELETED", "48231"));
    // ADDED while initialising: the init container ran, the others have no id yet
    assertThat(events.get(0).pod().orElseThrow().containers())
        .allSatisfy(c -> assertThat(c.id().isEmpty()).isNotEqualTo(c.init()));
    assertThat(events.get(1).pod().orElseThrow().container(Fixtures.TRAINER_ID)).isPresent();
    assertThat(events.get(2).pod()).isEmpty();
    assertThat(events.get(3).pod().orElseThrow().name()).isEqualTo("debug-shell");
  }

  @Test
  void goneIsAnErrorEventWithCode410() throws IOException {
    String line = new String(Fixtures.bytes("apiserver-watch-gone.jsonl"), StandardCharsets.UTF_8);
    PodJson.WatchEvent e = PodJson.watchEvent(line.strip());
    assertThat(e.type()).isEqualTo("ERROR");
    assertThat(e.errorCode()).isEqualTo(410);
  }

  @Test
  void containerIdsSplitIntoRuntimeAndId() {
    assertThat(PodJson.splitContainerId("containerd://abc")).containsExactly("containerd", "abc");
    assertThat(PodJson.splitContainerId("cri-o://def")).containsExactly("cri-o", "def");
    assertThat(PodJson.splitContainerId("docker://0a1")).containsExactly("docker", "0a1");
    assertThat(PodJson.splitContainerId("")).containsExactly("", "");
  }

  @Test
  void notAPodListIsAnError() {
    assertThatThrownBy(() -> PodJson.podList("{\"kind\":\"Status\"}".getBytes()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a PodList");
    assertThatThrownBy(() -> PodJson.podList("<html>".getBytes())).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> PodJson.watchEvent("{}")).hasMessageContaining("no type");
  }

  @Test
  void podsWithoutUidAreSkipped() throws IOException {
    byte[] json = "{\"items\":[{\"metadata\":{\"name\":\"x\"}}]}".getBytes();
    assertThat(PodJson.podList(json).pods()).isEmpty();
  }

  private static PodJson.WatchEvent event(String line) {
    try {
      return PodJson.watchEvent(line);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
