package dev.webstack.database;

import java.time.Instant;
import java.util.Optional;

/**
 * A window in which a semi-synchronous primary ran asynchronously because no replica acknowledged in time: writes
 * acknowledged to clients inside it are not protected by a replica.
 *
 * @param node the primary
 * @param from when the wait timed out, on the stack's clock
 * @param to when a replica had caught up and semi-sync resumed; null while the window is open
 */
public record SemiSyncFallback(String node, Instant from, Instant to) {

  public Optional<Instant> end() {
    return Optional.ofNullable(to);
  }

  public boolean isOpen() {
    return to == null;
  }
}
