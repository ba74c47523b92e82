package dev.webstack;

/**
 * A modeled server: a name and the IPv4 address the design gives it (the seed's {@code 8.8.8.8}). The address is a
 * label used by the stack's DNS and its modeled internet; nothing ever connects to it. Every component runs on one
 * host, and killing the host takes all of its components down.
 *
 * @param name unique among the stack's hosts
 * @param address a dotted-quad IPv4 address, unique among the stack's hosts
 */
public record HostSpec(String name, String address) {

  @Override
  public String toString() {
    return name + " (" + address + ")";
  }
}
