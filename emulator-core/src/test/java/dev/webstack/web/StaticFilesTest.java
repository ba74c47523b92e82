package dev.webstack.web;

import static dev.webstack.web.RawHttp.body;
import static dev.webstack.web.RawHttp.exchange;
import static dev.webstack.web.RawHttp.header;
import static dev.webstack.web.RawHttp.request;
import static dev.webstack.web.RawHttp.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import dev.webstack.app.AppResponse;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web server's static files and the choice between them and the application tier, against what nginx does with
 * {@code root <dir>; location /api/ { proxy_pass http://app; }}: it normalizes the URI (percent-decoding, {@code
 * %2F} included, merging slashes, resolving dot segments) before it chooses the location, refuses a URI that climbs
 * above the root with 400, serves a file to GET and HEAD only (405 otherwise, POST included), and redirects a
 * directory without its slash with 301.
 */
class StaticFilesTest {

  @TempDir static Path root;
  private static EmulatedStack stack;
  private static InetSocketAddress web;

  @BeforeAll
  static void start() throws Exception {
    Path site = Files.createDirectories(root.resolve("site"));
    Files.writeString(site.resolve("index.html"), "<p>root</p>");
    Files.writeString(site.resolve("a.txt"), "0123456789");
    Files.createDirectories(site.resolve("sub"));
    Files.writeString(site.resolve("sub/f.txt"), "in sub");
    Files.createDirectories(site.resolve("withindex"));
    Files.writeString(site.resolve("withindex/index.html"), "with index");
    Files.writeString(root.resolve("secret.txt"), "SECRET");
    stack = StackSpec.builder("foobar.com").webServers(1, w -> w.staticDirectory(site))
        .appServers(1, a -> a.handler(req -> AppResponse.text("app saw " + req.path())))
        .build().start();
    web = stack.node("web-1").address();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/sub/../api/x", "//api/x", "/./api/x", "/api%2Fx", "/api%2fx"})
  void dynamicPrefix_isMatchedOnTheNormalizedPath_asNginxChoosesItsLocation(String path) {
    String response = exchange(web, request("GET", path));

    assertThat(status(response)).as(response).isEqualTo(200);
    assertThat(header(response, "X-Served-By")).as(response).isEqualTo("app-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/../a.txt", "/api/%2e%2e/a.txt", "/api/..%2fa.txt"})
  void pathThatLeavesTheDynamicPrefixOnceNormalized_isAStaticFile(String path) {
    String response = exchange(web, request("GET", path));

    assertThat(status(response)).as(response).isEqualTo(200);
    assertThat(header(response, "X-Served-By")).as(response).isEqualTo("web-1");
    assertThat(body(response)).isEqualTo("0123456789");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/sub%2Ff.txt", "//sub///f.txt", "/sub/./f.txt", "/withindex/../sub/f.txt"})
  void staticPath_isNormalizedBeforeTheFileIsLookedUp(String path) {
    String response = exchange(web, request("GET", path));

    assertThat(status(response)).as(response).isEqualTo(200);
    assertThat(body(response)).isEqualTo("in sub");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt", "/..%2Fsecret.txt",
      "/api/../../secret.txt"})
  void pathAboveTheRoot_is400_asNginxAnswers(String path) {
    String response = exchange(web, request("GET", path));

    assertThat(status(response)).as(response).isEqualTo(400);
    assertThat(response).doesNotContain("SECRET");
    assertThat(body(response)).contains("<title>400 Bad Request</title>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a.txt%00", "/a%00.txt", "/%00", "/api/%00"})
  void pathWithAnEncodedNulByte_is400_asNginxAnswers(String path) {
    String response = exchange(web, request("GET", path));

    assertThat(status(response)).as(response).isEqualTo(400);
    assertThat(body(response)).contains("<title>400 Bad Request</title>");
  }

  @Test
  void postToAStaticFile_is405_asNginxAnswers() {
    String response = exchange(web, request("POST", "/a.txt"));

    assertThat(status(response)).as(response).isEqualTo(405);
    assertThat(body(response)).contains("<title>405 Not Allowed</title>").doesNotContain("0123456789");
  }

  @Test
  void postToAMissingStaticFile_is404_asNginxAnswers() {
    assertThat(status(exchange(web, request("POST", "/missing.txt")))).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUT", "DELETE", "OPTIONS", "PATCH"})
  void otherMethodsOnStaticFiles_are405WithNginxsPage(String method) {
    String response = exchange(web, request(method, "/a.txt"));

    assertThat(status(response)).as(response).isEqualTo(405);
    assertThat(header(response, "Allow")).isEqualTo("GET, HEAD");
    assertThat(body(response)).contains("<title>405 Not Allowed</title>");
  }

  @Test
  void directoryWithoutItsSlash_isRedirectedWith301_asNginxDoes() {
    String response = exchange(web, request("GET", "/withindex"));

    assertThat(status(response)).as(response).isEqualTo(301);
    assertThat(header(response, "Location")).isEqualTo("http://www.foobar.com/withindex/");
  }

  @Test
  void directoryWithoutIndexAndWithoutItsSlash_isRedirectedFirst_asNginxDoes() {
    String response = exchange(web, request("GET", "/sub"));

    assertThat(status(response)).as(response).isEqualTo(301);
    assertThat(header(response, "Location")).isEqualTo("http://www.foobar.com/sub/");
  }

  @Test
  void directoryWithoutIndex_is403WithNginxsPage_noListing() {
    String response = exchange(web, request("GET", "/sub/"));

    assertThat(status(response)).as(response).isEqualTo(403);
    assertThat(body(response)).contains("<title>403 Forbidden</title>").doesNotContain("f.txt");
  }

  @Test
  void dynamicPrefixWithoutItsSlash_isRedirectedWith301_asNginxDoesForAProxiedLocation() {
    String response = exchange(web, request("GET", "/api?x=1"));

    assertThat(status(response)).as(response).isEqualTo(301);
    assertThat(header(response, "Location")).isEqualTo("http://www.foobar.com/api/?x=1");
  }

  @Test
  void fileAskedForAsADirectory_is404() {
    assertThat(status(exchange(web, request("GET", "/a.txt/")))).isEqualTo(404);
  }

  /** Controls: what already matched nginx. */
  @Test
  void getHeadRangesAndConditionals_behaveAsNginx() {
    String range = exchange(web, "GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=2-4\r\nConnection: close\r\n\r\n");
    assertThat(status(range)).isEqualTo(206);
    assertThat(body(range)).isEqualTo("234");
    assertThat(status(exchange(web,
        "GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=20-30\r\nConnection: close\r\n\r\n"))).isEqualTo(416);
    String head = exchange(web, request("HEAD", "/a.txt"));
    assertThat(status(head)).isEqualTo(200);
    assertThat(header(head, "Content-Length")).isEqualTo("10");
    assertThat(body(head)).isEmpty();
    assertThat(status(exchange(web, "GET /a.txt HTTP/1.1\r\nHost: x\r\n"
        + "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\nConnection: close\r\n\r\n"))).isEqualTo(304);
    assertThat(body(exchange(web, request("GET", "/withindex/")))).isEqualTo("with index");
    assertThat(body(exchange(web, request("GET", "/api/x?q=1")))).isEqualTo("app saw /api/x");
  }
}
