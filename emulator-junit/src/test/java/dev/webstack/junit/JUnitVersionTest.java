package dev.webstack.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Each Surefire run of this module says which JUnit it means to run on ({@code webstack.expected.jupiter}); this
 * checks that the class path really holds that JUnit, so that the JUnit 5 run cannot silently run JUnit 6.
 */
class JUnitVersionTest {

  @Test
  void runsOnTheJupiterVersionThisRunIsFor() {
    String expected = System.getProperty("webstack.expected.jupiter");
    assertThat(expected).as("system property webstack.expected.jupiter, set by the build").isNotBlank();

    assertThat(Test.class.getPackage().getImplementationVersion()).isEqualTo(expected);
    assertThat(TestEngine.class.getPackage().getImplementationVersion())
        .isEqualTo(expected.startsWith("5.") ? "1" + expected.substring(1) : expected);
    assertThat(EngineTestKit.class.getPackage().getImplementationVersion())
        .isEqualTo(TestEngine.class.getPackage().getImplementationVersion());
  }
}
