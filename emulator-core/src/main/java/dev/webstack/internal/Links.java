package dev.webstack.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Every {@link Link} of one stack, created as components first connect to each other. Thread-safe. */
public final class Links {

  private final Map<String, Link> links = new ConcurrentHashMap<>();

  /** The link from {@code from} to {@code to}, created on first use. */
  public Link link(String from, String to, Supplier<InetSocketAddress> target) {
    String key = from + "->" + to;
    Link link = links.get(key);
    if (link == null) { // not computeIfAbsent's lambda, which a cold JVM links on first use; a Link is a value
      Link created = new Link(from, to, target);
      link = links.putIfAbsent(key, created);
      if (link == null) {
        link = created;
      }
    }
    return link;
  }

  /** The link, or null when {@code from} never connected to {@code to} and nobody declared it. */
  public Link find(String from, String to) {
    return links.get(from + "->" + to);
  }

  public List<Link> all() {
    return List.copyOf(links.values());
  }
}
