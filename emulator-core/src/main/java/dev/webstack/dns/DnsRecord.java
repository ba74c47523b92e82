package dev.webstack.dns;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One resource record of a stack's zone: an {@code A} record mapping a name to a modeled IPv4 address, or a
 * {@code CNAME} record mapping a name to another name. Names are absolute and lower case ({@code www.foobar.com}).
 *
 * <p>Immutable. Built through {@link dev.webstack.DnsSpec.Builder}, which validates names, addresses and TTLs.
 */
public final class DnsRecord {

  /** The record types the emulated resolver answers. */
  public enum Type {
    /** Name to IPv4 address. */
    A,
    /** Name to canonical name. */
    CNAME
  }

  private final Type type;
  private final String name;
  private final String value;
  private final Duration ttl;

  public DnsRecord(Type type, String name, String value, Duration ttl) {
    this.type = Objects.requireNonNull(type, "type");
    this.name = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
    this.value = Objects.requireNonNull(value, "value").toLowerCase(Locale.ROOT);
    this.ttl = Objects.requireNonNull(ttl, "ttl");
  }

  public Type type() {
    return type;
  }

  /** The absolute owner name, for example {@code www.foobar.com}. */
  public String name() {
    return name;
  }

  /** The modeled address of an A record, or the absolute target name of a CNAME record. */
  public String value() {
    return value;
  }

  public Duration ttl() {
    return ttl;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DnsRecord r
        && r.type == type
        && r.name.equals(name)
        && r.value.equals(value)
        && r.ttl.equals(ttl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value, ttl);
  }

  /** Zone-file style: {@code www.foobar.com. 300 IN A 8.8.8.8}. */
  @Override
  public String toString() {
    String target = type == Type.CNAME ? value + "." : value;
    return name + ". " + ttl.toSeconds() + " IN " + type + " " + target;
  }
}
