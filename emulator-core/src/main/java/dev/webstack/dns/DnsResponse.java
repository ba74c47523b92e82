package dev.webstack.dns;

import java.time.Duration;
import java.util.Optional;

/**
 * One response of a stack's zone server, as it travels to a client: an answer or a failure, how long a caching
 * resolver may keep it, and how long it takes to arrive (a {@linkplain StackResolver#slow slow} name's delay).
 * Immutable.
 *
 * <p>{@link StackResolver#resolve(String)} waits out the delay and returns the answer or throws; clients that must
 * not block (the stack's gateway) ask {@link StackResolver#query(String)} and wait the delay their own way.
 */
public final class DnsResponse {

  private final String question;
  private final DnsAnswer answer;
  private final DnsLookupException failure;
  private final Duration cacheTtl;
  private final Duration delay;

  private DnsResponse(String question, DnsAnswer answer, DnsLookupException failure, Duration cacheTtl,
      Duration delay) {
    this.question = question;
    this.answer = answer;
    this.failure = failure;
    this.cacheTtl = cacheTtl;
    this.delay = delay;
  }

  static DnsResponse answer(DnsAnswer answer, Duration delay) {
    return new DnsResponse(answer.question(), answer, null, answer.ttl(), delay);
  }

  static DnsResponse failure(DnsLookupException failure, Duration negativeTtl, Duration delay) {
    // RFC 2308 §5: NXDOMAIN is cached for the negative TTL. §7.1 allows caching SERVFAIL for up to five minutes
    // but does not require it; glibc's stub and Squid's ipcache do not, and neither do the stack's clients.
    Duration ttl = failure.rcode() == DnsLookupException.Rcode.NXDOMAIN ? negativeTtl : Duration.ZERO;
    return new DnsResponse(failure.question(), null, failure, ttl, delay);
  }

  /** The name asked for, lower case. */
  public String question() {
    return question;
  }

  /** True when the name resolved. */
  public boolean isAnswer() {
    return answer != null;
  }

  /**
   * The answer.
   *
   * @throws DnsLookupException the failure, when the name did not resolve
   */
  public DnsAnswer answer() throws DnsLookupException {
    if (answer == null) {
      throw failure;
    }
    return answer;
  }

  /** The failure, when the name did not resolve. */
  public Optional<DnsLookupException> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * How long a caching resolver keeps this response: the answer's TTL, the zone's negative TTL for NXDOMAIN
   * (RFC 2308), zero for SERVFAIL (not cached).
   */
  public Duration cacheTtl() {
    return cacheTtl;
  }

  /** How long the response takes to arrive: zero unless a name on the way was made slow. Real time. */
  public Duration delay() {
    return delay;
  }

  @Override
  public String toString() {
    String what = answer != null ? answer.addresses() + " ttl " + answer.ttl().toSeconds() + "s"
        : failure.rcode() + " (negative ttl " + cacheTtl.toSeconds() + "s)";
    return question + " -> " + what + (delay.isZero() ? "" : " after " + delay.toMillis() + " ms");
  }
}
