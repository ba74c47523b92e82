package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** Every server of the stack dates its responses (RFC 9110 §6.6.1), as nginx, Gunicorn and HAProxy's backends do. */
class DateHeaderTest {

  @Test
  void pagesApiCallsAndErrors_allCarryACurrentImfFixdate() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      HttpClient client = stack.httpClient();
      Instant before = Instant.now().minusSeconds(1);

      for (String url : new String[] {"http://www.foobar.com/", "http://www.foobar.com/api/posts",
          "http://www.foobar.com/api/no-such-route", "http://www.foobar.com/no-such-page.html"}) {
        HttpResponse<String> response = Http.get(client, url);

        assertThat(response.headers().allValues("Date")).as(url).hasSize(1);
        String date = response.headers().firstValue("Date").orElseThrow();
        assertThat(date).as(url).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        Instant at = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(at).as(url).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
      }
    }
  }
}
