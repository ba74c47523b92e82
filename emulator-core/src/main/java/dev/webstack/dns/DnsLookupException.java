package dev.webstack.dns;

import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A name did not resolve: the zone's server answered NXDOMAIN (the name does not exist) or SERVFAIL (the server
 * failed to answer). The message is the authoritative view, as {@code dig} shows it: {@code nope.foobar.com:
 * NXDOMAIN, no record for nope.foobar.com in zone foobar.com}.
 *
 * <p>Clients never see this message: a stub resolver turns the response code into its own error first. {@link
 * #asResolverError()} gives the one glibc's {@code getaddrinfo} gives, which is what the JDK's resolver on Linux,
 * curl and most other clients report.
 */
public final class DnsLookupException extends UnknownHostException {

  private static final long serialVersionUID = 1L;

  /** The DNS response codes (RFC 1035 §4.1.1) a lookup can fail with. */
  public enum Rcode {
    /** RCODE 3, "Name Error": the name does not exist in the zone. Cached by resolvers (RFC 2308). */
    NXDOMAIN("Name or service not known"),
    /** RCODE 2, "Server failure": the name server could not answer. A resolver may try again. */
    SERVFAIL("Temporary failure in name resolution");

    private final String resolverWording;

    Rcode(String resolverWording) {
      this.resolverWording = resolverWording;
    }

    /**
     * glibc's {@code gai_strerror} text for this outcome ({@code EAI_NONAME} for NXDOMAIN, {@code EAI_AGAIN} for
     * SERVFAIL), which the JDK puts after the host name in its {@link UnknownHostException} on Linux.
     */
    public String resolverWording() {
      return resolverWording;
    }
  }

  private final String question;
  private final Rcode rcode;

  /**
   * @param question the name asked for
   * @param rcode the response code
   * @param message the authoritative view, starting with the question
   */
  public DnsLookupException(String question, Rcode rcode, String message) {
    super(message);
    this.question = Objects.requireNonNull(question, "question");
    this.rcode = Objects.requireNonNull(rcode, "rcode");
  }

  /** The name asked for, lower case. */
  public String question() {
    return question;
  }

  public Rcode rcode() {
    return rcode;
  }

  /**
   * The error a client's stub resolver reports for this response, as the JDK does on Linux: {@code
   * nope.foobar.com: Name or service not known} for NXDOMAIN, {@code www.foobar.com: Temporary failure in name
   * resolution} for SERVFAIL, followed by this exception's message in parentheses so that a test failure still
   * says why. The returned exception has this one as its cause.
   */
  public UnknownHostException asResolverError() {
    UnknownHostException e =
        new UnknownHostException(question + ": " + rcode.resolverWording() + " (" + getMessage() + ")");
    e.initCause(this);
    return e;
  }
}
