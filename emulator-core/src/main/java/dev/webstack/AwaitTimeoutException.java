package dev.webstack;

/**
 * Thrown by {@link EmulatedStack#await} when a condition does not hold by its deadline. The message names the
 * condition and holds the stack's description, so the failing test's output tells what the stack looked like.
 */
public final class AwaitTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public AwaitTimeoutException(String message) {
    super(message);
  }
}
