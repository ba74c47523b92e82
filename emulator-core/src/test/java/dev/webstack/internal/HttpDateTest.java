package dev.webstack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class HttpDateTest {

  @Test
  void formatsImfFixdate_withTwoDigitDaysAndTimes() {
    assertThat(HttpDate.format(LocalDateTime.of(1994, 11, 6, 8, 49, 37))).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(HttpDate.format(LocalDateTime.of(2026, 1, 1, 0, 0, 0))).isEqualTo("Thu, 01 Jan 2026 00:00:00 GMT");
    assertThat(HttpDate.format(LocalDateTime.of(2026, 12, 31, 23, 59, 59))).isEqualTo("Thu, 31 Dec 2026 23:59:59 GMT");
  }
}
