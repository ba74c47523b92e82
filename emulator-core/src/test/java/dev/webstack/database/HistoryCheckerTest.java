package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.internal.ManualClock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {

  private final OperationHistory h = new OperationHistory(new ManualClock());

  @Test
  void aReadAfterACompletedWrite_seeingTheOldValue_isStale_butAConcurrentWriteMayBeSeen() {
    h.invoke("a", Operation.WRITE, "k", "1").ok();
    h.invoke("a", Operation.WRITE, "k", "2").ok();
    var concurrentWrite = h.invoke("b", Operation.WRITE, "k", "3");
    h.invoke("c", Operation.READ, "k", null).ok("3"); // 3 is being written: legal
    h.invoke("c", Operation.READ, "k", null).ok("2"); // 3 not done yet: legal
    concurrentWrite.ok();
    h.invoke("c", Operation.READ, "k", null).ok("1", "db-2"); // older than 2 and 3: stale

    assertThat(HistoryChecker.staleReads(h.operations())).singleElement()
        .satisfies(a -> assertThat(a.detail()).isEqualTo("c read k=1 on db-2, but b wrote 3 before the read began"));
    assertThat(HistoryChecker.readYourWrites(h.operations())).isEmpty(); // c wrote nothing
  }

  @Test
  void readYourWrites_countsOnlyTheReadersOwnWrites() {
    h.invoke("a", Operation.WRITE, "k", "1").ok();
    h.invoke("b", Operation.READ, "k", null).ok(null);
    h.invoke("a", Operation.READ, "k", null).ok(null);
    assertThat(HistoryChecker.readYourWrites(h.operations())).singleElement()
        .satisfies(a -> assertThat(a.operation().process()).isEqualTo("a"));
    assertThat(HistoryChecker.staleReads(h.operations())).hasSize(2);
  }

  @Test
  void lostWrites_skipFailedAndIndeterminateWrites_andOverwrittenOnes() {
    h.invoke("a", Operation.WRITE, "k1", "1").ok();
    h.invoke("a", Operation.WRITE, "k1", "2").ok(); // overwrites 1
    h.invoke("a", Operation.WRITE, "k2", "x").ok(); // lost
    h.invoke("a", Operation.WRITE, "k3", "y").info(); // may not have happened
    h.invoke("a", Operation.WRITE, "k4", "z").fail();
    h.invoke("a", Operation.WRITE, "k5", "w").ok();

    assertThat(HistoryChecker.lostWrites(h.operations(), Map.of("k1", "2", "k5", "w")))
        .extracting(a -> a.operation().key()).containsExactly("k2");
    assertThat(HistoryChecker.lostWrites(h.operations(), Map.of("k1", "1", "k2", "x", "k5", "w")))
        .extracting(a -> a.operation().key()).containsExactly("k1"); // 2 was acknowledged after 1: 1 cannot win
  }
}
