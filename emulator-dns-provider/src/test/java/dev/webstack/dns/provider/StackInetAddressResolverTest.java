package dev.webstack.dns.provider;

import static java.net.spi.InetAddressResolver.LookupPolicy.IPV4;
import static java.net.spi.InetAddressResolver.LookupPolicy.IPV4_FIRST;
import static java.net.spi.InetAddressResolver.LookupPolicy.IPV6;
import static java.net.spi.InetAddressResolver.LookupPolicy.IPV6_FIRST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The resolver the provider installs, with a recording stand-in for the JDK's built-in resolver: which lookups
 * the stacks answer, which fall through, and how lookup policies are honoured.
 */
class StackInetAddressResolverTest {

  private static final LookupPolicy DEFAULT = LookupPolicy.of(IPV4 | IPV6 | IPV4_FIRST);

  private final RecordingResolver builtin = new RecordingResolver();
  // InetAddressResolverProvider.Configuration is sealed (only the JDK builds one), so the resolver is built the way
  // the provider's get(configuration) builds it, from the built-in resolver alone.
  private final InetAddressResolver resolver = new StackInetAddressResolver(builtin);

  @Test
  void answersFromStack_withoutAskingBuiltinResolver() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      List<InetAddress> answer = resolver.lookupByName("www.foobar.com", DEFAULT).toList();

      assertThat(answer).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
      assertThat(answer).extracting(InetAddress::getHostName).containsExactly("www.foobar.com");
      assertThat(builtin.names).isEmpty();
    }
  }

  @Test
  void answersFromStack_whenPolicyAdmitsIpv4InAnyOrder() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      for (LookupPolicy policy : List.of(LookupPolicy.of(IPV4), LookupPolicy.of(IPV4 | IPV6),
          LookupPolicy.of(IPV4 | IPV6 | IPV6_FIRST))) {
        assertThat(resolver.lookupByName("foobar.com", policy)).extracting(InetAddress::getHostAddress)
            .as("policy %s", policy.characteristics())
            .containsExactly("127.0.0.1");
      }
    }
  }

  @Test
  void failsNamingIpv6_whenPolicyAdmitsOnlyIpv6() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThatThrownBy(() -> resolver.lookupByName("www.foobar.com", LookupPolicy.of(IPV6)))
          .isInstanceOf(UnknownHostException.class)
          .hasMessageContaining("www.foobar.com")
          .hasMessageContaining("IPv6 addresses only")
          .hasMessageContaining("IPv4 loopback 127.0.0.1");
      assertThat(builtin.names).isEmpty();
    }
  }

  @Test
  void delegatesToBuiltinResolver_whenNoStackServesTheName() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThat(resolver.lookupByName("example.org", DEFAULT)).containsExactly(RecordingResolver.ANSWER);
      assertThat(builtin.names).containsExactly("example.org");
    }
  }

  @Test
  void delegatesToBuiltinResolver_whenNoStackRuns() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThat(resolver.lookupByName("www.foobar.com", DEFAULT)).isNotEmpty();
    }

    assertThat(resolver.lookupByName("www.foobar.com", DEFAULT)).containsExactly(RecordingResolver.ANSWER);
    assertThat(builtin.names).containsExactly("www.foobar.com");
  }

  @Test
  void doesNotFallThrough_whenNameInZoneHasNoRecord() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThatThrownBy(() -> resolver.lookupByName("nope.foobar.com", DEFAULT))
          .isInstanceOf(UnknownHostException.class)
          .hasMessageContaining("zone foobar.com");
      assertThat(builtin.names).isEmpty();
    }
  }

  @Test
  void delegatesReverseLookupToBuiltinResolver_evenWhileStackRuns() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThat(resolver.lookupByAddress(new byte[] {127, 0, 0, 1})).isEqualTo("reverse-of-127.0.0.1");
      assertThat(builtin.addresses).containsExactly("127.0.0.1");
    }
  }

  @Test
  void namesItselfWebstackEmulator() {
    assertThat(new StackInetAddressResolverProvider().name()).isEqualTo("webstack-emulator");
  }

  /** Stands in for the JDK's resolver: answers 192.0.2.1 (TEST-NET-1) for every name and records the questions. */
  private static final class RecordingResolver implements InetAddressResolver {
    static final InetAddress ANSWER = address("example", new byte[] {(byte) 192, 0, 2, 1});

    final List<String> names = new CopyOnWriteArrayList<>();
    final List<String> addresses = new CopyOnWriteArrayList<>();

    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) {
      names.add(host);
      return Stream.of(ANSWER);
    }

    @Override
    public String lookupByAddress(byte[] addr) throws UnknownHostException {
      String literal = InetAddress.getByAddress(addr).getHostAddress();
      addresses.add(literal);
      return "reverse-of-" + literal;
    }

    private static InetAddress address(String host, byte[] bytes) {
      try {
        return InetAddress.getByAddress(host, bytes);
      } catch (UnknownHostException e) {
        throw new AssertionError(e);
      }
    }
  }
}
