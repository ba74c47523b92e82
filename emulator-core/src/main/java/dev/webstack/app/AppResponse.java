package dev.webstack.app;

import static dev.webstack.internal.Checks.checkArgument;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What the application answers: a status, headers and a body. Immutable; {@link #header} returns a copy. */
public final class AppResponse {

  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  private AppResponse(int status, Map<String, String> headers, byte[] body) {
    // A 1xx is an interim response (RFC 9110 §15.2): sent as the answer, the client waits for the final one.
    checkArgument(status >= 200 && status <= 599,
        "status (%s) must be a final status, 200-599 (1xx are interim responses)", status);
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.body = body;
  }

  /** 200 with a {@code text/plain} body. */
  public static AppResponse text(String body) {
    return of(200, "text/plain; charset=UTF-8", body);
  }

  /** 200 with an {@code application/json} body, which the caller has already serialized. */
  public static AppResponse json(String json) {
    return of(200, "application/json", json);
  }

  /** Any status with a {@code text/plain} body. */
  public static AppResponse status(int status, String body) {
    return of(status, "text/plain; charset=UTF-8", body);
  }

  /** Any status, content type and body. */
  public static AppResponse of(int status, String contentType, String body) {
    Objects.requireNonNull(body, "body");
    return new AppResponse(
        status, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy with one more header (replacing one of the same name). */
  public AppResponse header(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new AppResponse(status, copy, body);
  }

  /** The same headers and body with another status. */
  public AppResponse withStatus(int status) {
    return new AppResponse(status, headers, body);
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  byte[] bodyBytes() {
    return body;
  }

  @Override
  public String toString() {
    return status + " " + headers + " " + body.length + " bytes";
  }
}
