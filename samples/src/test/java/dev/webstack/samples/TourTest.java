package dev.webstack.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TourTest {

  @Test
  void tour_showsTheSinglePointOfFailureAndTheBalancerRoutingAround() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Tour(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("GET  www.foobar.com/api/posts               -> 200  path web-1 > app-1");
    assertThat(out).contains("-> 502  www.foobar.com (8.8.8.8:80): connection refused, host server-1 is down");
    assertThat(out).contains("path lb-1 > web-1 > app-1", "path lb-1 > web-2 > app-1");
    assertThat(out).contains("Tour finished");
  }
}
