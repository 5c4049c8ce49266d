package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import org.junit.jupiter.api.Test;

class WorkloadNameTest {
  private static final AttributeKey<String> PATH = AttributeKey.stringKey("aiprof.cgroup.path");

  @Test
  void theMostSpecificIdentityPresentNamesTheWorkload() {
    Attributes pod =
        Attributes.builder()
            .put(WorkloadKeys.K8S_POD_NAME, "trainer-0")
            .put(WorkloadKeys.K8S_NAMESPACE_NAME, "ml")
            .put(WorkloadKeys.K8S_POD_UID, "u")
            .put(WorkloadKeys.CONTAINER_ID, "0123456789abcdef")
            .put(PATH, "/kubepods.slice/x")
            .build();
    assertThat(WorkloadName.of(pod)).isEqualTo("ml/trainer-0");
    assertThat(WorkloadName.of(Attributes.of(WorkloadKeys.K8S_POD_UID, "u1"))).isEqualTo("pod/u1");
    assertThat(WorkloadName.of(Attributes.of(WorkloadKeys.CONTAINER_ID, "0123456789abcdef")))
        .isEqualTo("container/0123456789ab");
    assertThat(
            WorkloadName.of(
                Attributes.of(
                    WorkloadKeys.SYSTEMD_UNIT,
                    "trainer.service",
                    PATH,
                    "/system.slice/trainer.service")))
        .isEqualTo("trainer.service");
    assertThat(WorkloadName.of(Attributes.of(WorkloadKeys.PROCESS_EXECUTABLE_NAME, "python3")))
        .isEqualTo("process/python3");
    assertThat(WorkloadName.of(Attributes.of(PATH, "/"))).isEqualTo("cgroup:/");
    assertThat(WorkloadName.of(Attributes.empty())).isNull();
  }

  @Test
  void withAddsTheLabelOnlyWhenThereIsAName() {
    assertThat(WorkloadName.with(Attributes.empty())).isEqualTo(Attributes.empty());
    assertThat(WorkloadName.with(Attributes.of(PATH, "/a")).get(WorkloadName.KEY))
        .isEqualTo("cgroup:/a");
  }
}
