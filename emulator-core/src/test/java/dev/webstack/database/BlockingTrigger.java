package dev.webstack.database;

import java.sql.Connection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.api.Trigger;

/** A trigger that holds its statement inside H2 until the test lets it go: a kill can land mid-statement. */
public class BlockingTrigger implements Trigger {
  static volatile CountDownLatch entered = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
    entered.countDown();
    try {
      release.await(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
