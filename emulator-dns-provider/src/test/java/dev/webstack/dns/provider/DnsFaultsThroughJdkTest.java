package dev.webstack.dns.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DNS faults as plain JDK code meets them through the provider: {@code InetAddress} throws the {@link
 * UnknownHostException} the JDK's own resolver throws on Linux for the same response code.
 *
 * <p>The JDK's lookup caches are off in this JVM (see {@link JvmWideResolutionTest}); with the JDK's defaults a
 * fault would be seen only once the JVM's cached answer (30 s) or failure (10 s) expires, whatever the record's TTL.
 */
class DnsFaultsThroughJdkTest {

  @BeforeAll
  static void lookupCachesAreOff() {
    assertThat(Security.getProperty("networkaddress.cache.ttl")).isEqualTo("0");
    assertThat(Security.getProperty("networkaddress.cache.negative.ttl")).isEqualTo("0");
  }

  @Test
  void nxdomain_isNameOrServiceNotKnown_andHealResolvesAgain() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.dns().nxdomain("www");

      assertThatThrownBy(() -> InetAddress.getByName("www.foobar.com"))
          .isInstanceOf(UnknownHostException.class)
          .hasMessageStartingWith("www.foobar.com: Name or service not known (www.foobar.com: NXDOMAIN");
      assertThat(InetAddress.getByName("foobar.com").getHostAddress()).isEqualTo("127.0.0.1");

      stack.dns().heal("www");

      assertThat(InetAddress.getByName("www.foobar.com").getHostAddress()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void servfail_isTemporaryFailureInNameResolution_andHealResolvesAgain() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.dns().servfail("www");

      assertThatThrownBy(() -> InetAddress.getByName("www.foobar.com"))
          .isInstanceOf(UnknownHostException.class)
          .hasMessageStartingWith("www.foobar.com: Temporary failure in name resolution (www.foobar.com: SERVFAIL");

      stack.dns().healAll();

      assertThat(InetAddress.getByName("www.foobar.com").getHostAddress()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void slowName_makesTheLookupWait() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      Duration delay = Duration.ofMillis(300);
      stack.dns().slow("www", delay);

      long t0 = System.nanoTime();
      assertThat(InetAddress.getByName("www.foobar.com").getHostAddress()).isEqualTo("127.0.0.1");

      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(delay);
    }
  }

  @Test
  void removedRecords_failTheLookup_butChangedAddressesStillResolveToLoopback() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.dns().setA("www", Duration.ofSeconds(30), "10.0.0.11");
      // Every stack listens on loopback: a modeled address change is not visible as an InetAddress.
      assertThat(InetAddress.getByName("www.foobar.com").getHostAddress()).isEqualTo("127.0.0.1");

      stack.dns().removeRecords("www");

      assertThatThrownBy(() -> InetAddress.getByName("www.foobar.com"))
          .isInstanceOf(UnknownHostException.class)
          .hasMessageStartingWith("www.foobar.com: Name or service not known (www.foobar.com: NXDOMAIN, no record");
    }
  }
}
