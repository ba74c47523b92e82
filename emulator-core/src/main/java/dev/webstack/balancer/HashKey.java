package dev.webstack.balancer;

import java.util.Locale;
import java.util.Objects;

/**
 * What a hashing algorithm hashes: nothing, the client's address (HAProxy's {@code balance source}, nginx's {@code
 * ip_hash}), the request URI without its query ({@code balance uri}) or with it ({@code balance uri whole}), or a
 * header ({@code balance hdr(name)}). The balancer reads the attribute from each request and passes its 64-bit hash
 * to {@link Picker#pick}.
 */
public final class HashKey {

  /**
   * Which request attribute to read. {@link #URI} is the request target left of {@code '?'}; {@link #WHOLE_URI}
   * the whole target, query included.
   */
  public enum Source { NONE, SOURCE_IP, URI, HEADER, WHOLE_URI }

  private static final HashKey NONE = new HashKey(Source.NONE, null);
  private static final HashKey SOURCE_IP = new HashKey(Source.SOURCE_IP, null);
  private static final HashKey URI = new HashKey(Source.URI, null);
  private static final HashKey WHOLE_URI = new HashKey(Source.WHOLE_URI, null);

  private final Source source;
  private final String header;

  private HashKey(Source source, String header) {
    this.source = source;
    this.header = header;
  }

  public static HashKey none() {
    return NONE;
  }

  public static HashKey sourceIp() {
    return SOURCE_IP;
  }

  /**
   * The request target left of {@code '?'} (the path of an origin-form request), as HAProxy's {@code balance uri}
   * hashes it by default: requests for one path go to one server whatever their query. The {@code len} and {@code
   * depth} options are not offered, and neither is {@code path-only}: an absolute-form target is hashed with its
   * scheme and authority, as HAProxy does without {@code path-only}.
   */
  public static HashKey uri() {
    return URI;
  }

  /**
   * The whole request target, query included: HAProxy's {@code balance uri whole}. Requests for one path spread
   * over the servers by their query.
   */
  public static HashKey wholeUri() {
    return WHOLE_URI;
  }

  /**
   * The first value of header {@code name} (case-insensitive): HAProxy's {@code balance hdr(name)}. A request
   * without the header, or with an empty value, has no key and goes round robin, as in HAProxy.
   */
  public static HashKey header(String name) {
    Objects.requireNonNull(name, "name");
    return new HashKey(Source.HEADER, name.toLowerCase(Locale.ROOT));
  }

  public Source source() {
    return source;
  }

  /** The header name, lower case, for {@link Source#HEADER}. */
  public String header() {
    return header;
  }

  /**
   * A well-mixed 64-bit hash of {@code value} (FNV-1a followed by a 64-bit finalizer), stable across JVMs and runs,
   * so the same key maps to the same server in every run.
   */
  public static long hash(CharSequence value) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < value.length(); i++) {
      h ^= value.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** The murmur3 64-bit finalizer: spreads every input bit over the whole word. */
  public static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashKey k && k.source == source && Objects.equals(k.header, header);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, header);
  }

  @Override
  public String toString() {
    switch (source) {
      case HEADER:
        return "hdr(" + header + ")";
      case WHOLE_URI:
        return "uri whole";
      default:
        return source.name().toLowerCase(Locale.ROOT);
    }
  }
}
