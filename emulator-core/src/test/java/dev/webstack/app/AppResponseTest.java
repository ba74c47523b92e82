package dev.webstack.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AppResponseTest {

  @Test
  void anInterimStatus_isRefused_sinceAClientWouldWaitForTheFinalAnswerForever() {
    assertThatThrownBy(() -> AppResponse.status(100, "continue?"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status (100) must be a final status, 200-599 (1xx are interim responses)");
    assertThatThrownBy(() -> AppResponse.text("ok").withStatus(199)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AppResponse.text("ok").withStatus(600)).isInstanceOf(IllegalArgumentException.class);
    assertThat(AppResponse.text("ok").withStatus(204).status()).isEqualTo(204);
  }
}
