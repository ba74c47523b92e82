package dev.webstack.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Every {@link Link} of one stack, created as components first connect to each other. Thread-safe. */
public final class Links {

  private final Map<String, Link> links = new ConcurrentHashMap<>();
  /** Nodes whose listener is down now (killed, or their host is); see {@link #targetDown}. */
  private final java.util.Set<String> down = ConcurrentHashMap.newKeySet();
  /** Told when a node goes down or comes back: the link fault states, whose relays follow their targets. */
  private final List<java.util.function.BiConsumer<String, Boolean>> watchers =
      new java.util.concurrent.CopyOnWriteArrayList<>();

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

  /** Called by a node as its listener closes ({@code true}) or opens again ({@code false}). */
  public void targetDown(String node, boolean isDown) {
    if (isDown ? down.add(node) : down.remove(node)) {
      for (java.util.function.BiConsumer<String, Boolean> w : watchers) {
        w.accept(node, isDown);
      }
    }
  }

  /** Whether {@code node}'s listener is down now. */
  public boolean isDown(String node) {
    return down.contains(node);
  }

  /** Registers {@code watcher} for {@link #targetDown} calls. */
  public void watch(java.util.function.BiConsumer<String, Boolean> watcher) {
    watchers.add(watcher);
  }
}
