package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void distributed_serves_page_and_api() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      var r = Http.get(stack.httpClient(), "http://www.foobar.com/");
      System.out.println(r.statusCode() + " " + r.headers().map() + "\n" + r.body());
      var a = Http.get(stack.httpClient(), "http://www.foobar.com/api/posts");
      System.out.println(a.statusCode() + " " + a.headers().map() + "\n" + a.body());
      for (int i = 0; i < 4; i++) {
        System.out.println(Http.get(stack.httpClient(), "http://www.foobar.com/api/whoami").headers().allValues("via"));
      }
      stack.node("web-2").kill();
      for (int i = 0; i < 4; i++) {
        var x = Http.get(stack.httpClient(), "http://www.foobar.com/api/whoami");
        System.out.println(x.statusCode() + " " + x.headers().allValues("via"));
      }
      stack.node("web-2").restart();
      for (int i = 0; i < 4; i++) {
        var x = Http.get(stack.httpClient(), "http://www.foobar.com/api/whoami");
        System.out.println(x.statusCode() + " " + x.headers().allValues("via"));
      }
      System.out.println(stack.describe());
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }
}
