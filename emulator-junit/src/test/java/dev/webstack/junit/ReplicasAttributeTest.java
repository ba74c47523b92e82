package dev.webstack.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.database.ReplicationMode;
import org.junit.jupiter.api.Test;

@WebStack(replicas = 2, replication = WebStack.Replication.SEMI_SYNC)
class ReplicasAttributeTest {

  @Test
  void replicasAndMode_comeFromTheAnnotation(EmulatedStack stack) {
    assertThat(stack.databaseCluster().replicas()).hasSize(2);
    assertThat(stack.databaseCluster().mode()).isEqualTo(ReplicationMode.SEMI_SYNC);
    assertThat(stack.linkNames()).contains("db-1->db-2", "db-1->db-3");
  }
}
