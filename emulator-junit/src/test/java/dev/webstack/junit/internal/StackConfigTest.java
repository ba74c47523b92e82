package dev.webstack.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.junit.WebStack;
import org.junit.jupiter.api.Test;

class StackConfigTest {

  private static StackConfig config(int replicas, WebStack.Replication replication) {
    return new StackConfig("@WebStack on X", WebStack.Preset.DISTRIBUTED, WebStack.PresetSpec.class, -1, -1,
        WebStack.Algorithm.PRESET, new long[] {1L}, false, "", replicas, replication);
  }

  @Test
  void equalsAndHashCode_takeEveryComponent_includingReplicasAndReplication() {
    assertThat(config(2, WebStack.Replication.ASYNC)).isEqualTo(config(2, WebStack.Replication.ASYNC))
        .hasSameHashCodeAs(config(2, WebStack.Replication.ASYNC));
    assertThat(config(1, WebStack.Replication.ASYNC)).isNotEqualTo(config(2, WebStack.Replication.ASYNC));
    assertThat(config(1, WebStack.Replication.ASYNC)).isNotEqualTo(config(1, WebStack.Replication.SEMI_SYNC));
  }
}
