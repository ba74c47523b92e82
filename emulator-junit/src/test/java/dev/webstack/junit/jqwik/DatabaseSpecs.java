package dev.webstack.junit.jqwik;

import dev.webstack.StackSpec;
import java.time.Duration;
import java.util.function.Supplier;

/** Database specs for the database properties and tests (the other attributes apply on top). */
public final class DatabaseSpecs {

  private DatabaseSpecs() {}

  /**
   * The distributed preset with two semi-synchronous replicas and a 200 ms semi-sync timeout: when the schedule
   * cuts every replica, the next write waits 200 ms of real time (MySQL's default 10 s would dominate the suite)
   * before the primary falls back to asynchronous replication.
   */
  public static final class SemiSync implements Supplier<StackSpec> {
    @Override
    public StackSpec get() {
      return StackSpec.distributed().toBuilder()
          .database(db -> db.replicas(2).semiSync(Duration.ofMillis(200)))
          .build();
    }
  }

  /**
   * The distributed preset with one asynchronous replica that receives every transaction an hour late: on a manual
   * clock that the schedule does not advance, a failover loses every acknowledged write.
   */
  public static final class AsyncLagging implements Supplier<StackSpec> {
    @Override
    public StackSpec get() {
      return StackSpec.distributed().toBuilder()
          .database(db -> db.replicas(1).async().shipDelay(Duration.ofHours(1)))
          .build();
    }
  }
}
