package dev.webstack.audit;

import java.util.Objects;

/**
 * One issue of a stack's infrastructure, computed from its model. Immutable.
 *
 * @param kind which of the seed's issues it is
 * @param subject what it concerns: a component ({@code lb-1}), a host ({@code host server-1}), or the stack's
 *     network or listeners as a whole
 * @param explanation why, in a sentence or two derived from the model (which requests fail, what is reachable)
 */
public record Finding(Kind kind, String subject, String explanation) {

  /** The issues the seed's two designs list under "Issues with this infrastructure". */
  public enum Kind {
    /** "SPOF": a component or host whose loss cuts every path from the internet to the application or its data. */
    SINGLE_POINT_OF_FAILURE("SPOF"),
    /** "Downtime during maintenance": restarting a web or application server (to deploy code) takes requests down. */
    DOWNTIME_DURING_MAINTENANCE("maintenance downtime"),
    /** "Not scalable": one server runs everything, so its capacity is the site's. */
    NOT_SCALABLE("not scalable"),
    /** "No firewall to control incoming/outgoing access". */
    NO_FIREWALL("no firewall"),
    /** "No HTTPS: data can be intercepted". */
    NO_HTTPS("no HTTPS"),
    /** "No monitoring: no system in place to detect failures". */
    NO_MONITORING("no monitoring"),
    /** Not one of the seed's issues: the site cannot be reached even with nothing lost (a DNS change, say). */
    UNREACHABLE("unreachable");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The short label of the text form, for example {@code SPOF}. */
    public String label() {
      return label;
    }
  }

  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(explanation, "explanation");
  }

  /** {@code [SPOF] lb-1: ...}, one line. */
  @Override
  public String toString() {
    return "[" + kind.label() + "] " + subject + ": " + explanation;
  }
}
