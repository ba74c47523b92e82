package dev.webstack.samples;

import dev.webstack.EmulatedStack;
import dev.webstack.RequestPath;
import dev.webstack.DnsSpec;
import dev.webstack.StackSpec;
import dev.webstack.audit.Audit;
import dev.webstack.balancer.Backend;
import dev.webstack.database.FailoverReport;
import dev.webstack.database.ReplicationStatus;
import dev.webstack.faults.Fault;
import dev.webstack.faults.LinkFaults;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A guided tour of the seed's two reference designs, run in-process:
 *
 * <ol>
 *   <li>the simple web stack: one server with web, application and database; a page and an API call; the server
 *       is killed and every request fails (its single point of failure); the server comes back with its data;
 *   <li>the distributed stack: a load balancer alternating two web servers (see the {@code Via} path); one web
 *       server is killed and traffic continues on the other.
 * </ol>
 *
 * <p>Run it with {@code mvn -q -B -pl samples -am -DskipTests package exec:java}.
 */
public final class Tour {

  private final PrintStream out;

  Tour(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("org.jboss.logging.provider", "slf4j"); // Undertow logs through SLF4J, not JUL
    new Tour(System.out).run();
  }

  void run() throws Exception {
    simpleStack();
    distributedStack();
    faults();
    healthChecks();
    audit();
    dnsFaults();
    replication();
    out.println();
    out.println("Tour finished: every stack was closed, no thread or socket is left behind.");
  }

  private void simpleStack() throws Exception {
    title("1. The simple web stack: one server (8.8.8.8) runs the web server, the app server and the database");
    long t0 = System.nanoTime();
    try (EmulatedStack stack = StackSpec.simpleWebStack().start()) {
      out.printf("Booted in %.1f ms:%n%s%n%n", (System.nanoTime() - t0) / 1e6, indent(stack.describe()));
      HttpClient http = stack.httpClient();
      show(http, "GET", "http://www.foobar.com/", "the web server answers with a static page");
      show(http, "GET", "http://www.foobar.com/api/posts", "/api/ goes on to the app server, which queries the database");
      show(http, "POST", "http://www.foobar.com/api/posts", "a write goes all the way to the database");

      out.println();
      out.println("Now the one server dies. It is the single point of failure: everything on it goes down.");
      stack.host("server-1").kill();
      for (String url : new String[] {"http://www.foobar.com/", "http://www.foobar.com/api/posts"}) {
        show(http, "GET", url, "fails: " + stack.spec().domain() + " has nowhere else to go");
      }

      out.println();
      out.println("The server restarts (maintenance means downtime here), and its data is still there:");
      stack.host("server-1").restart();
      show(http, "GET", "http://www.foobar.com/api/posts/3", "the post written before the crash");
    }
  }

  private void distributedStack() throws Exception {
    title("2. The distributed stack: HAProxy's role (8.8.8.8) balances two web servers, round robin");
    long t0 = System.nanoTime();
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      out.printf("Booted in %.1f ms:%n%s%n%n", (System.nanoTime() - t0) / 1e6, indent(stack.describe()));
      HttpClient http = stack.httpClient();
      out.println("Four requests in a row; the path each one took alternates between web-1 and web-2:");
      for (int i = 0; i < 4; i++) {
        show(http, "GET", "http://www.foobar.com/api/posts", null);
      }

      out.println();
      out.println("web-1 dies. The balancer finds its connection refused and sends the request to web-2 instead:");
      stack.node("web-1").kill();
      for (int i = 0; i < 4; i++) {
        show(http, "GET", "http://www.foobar.com/api/posts", null);
      }

      out.println();
      out.println("web-1 restarts on the same port and takes its turn again:");
      stack.node("web-1").restart();
      for (int i = 0; i < 2; i++) {
        show(http, "GET", "http://www.foobar.com/", null);
      }
      out.println();
      out.println("Still single points of failure here: the balancer lb-1 and the database db-1.");
    }
  }

  private void faults() throws Exception {
    title("3. Breaking it on purpose: node and link faults, replayable from a seed");
    StackSpec spec = StackSpec.distributed().toBuilder().appServers(2).seed(2026).build();
    try (EmulatedStack stack = spec.start()) {
      HttpClient http = stack.httpClient();
      out.println("app-2 fails half of its requests with 503 (which ones is drawn from the stack's seed, 2026):");
      Fault flaky = stack.node("app-2").faults().failWith(503, 0.5);
      for (int i = 0; i < 4; i++) {
        show(http, "GET", "http://www.foobar.com/api/posts", null);
      }
      flaky.undo();

      out.println();
      out.println("The link web-2 -> app-1 is cut one way; web-2 fails over to app-2, web-1 still uses both:");
      try (Fault cut = stack.link("web-2", "app-1").partition(LinkFaults.Direction.FORWARD)) {
        for (int i = 0; i < 4; i++) {
          show(http, "GET", "http://www.foobar.com/api/posts", null);
        }
      }

      out.println();
      out.println("web-1 gets slow (40 ms per request); the balancer's journal shows what each request cost:");
      try (Fault slow = stack.node("web-1").faults().slow(Duration.ofMillis(40))) {
        for (int i = 0; i < 2; i++) {
          show(http, "GET", "http://www.foobar.com/", null);
        }
      }
      stack.node("lb-1").journal().latest().stream().skip(6)
          .forEach(r -> out.println("  " + r));

      out.println();
      out.println("What a failing test would print (stack.dump()), shortened:");
      stack.dump().lines().filter(l -> l.startsWith("node ") || l.contains(" fault") || l.contains(" undo"))
          .forEach(l -> out.println("  " + l));
    }
  }

  private void healthChecks() throws Exception {
    title("4. Health checks: HAProxy's rise and fall, stepped on the stack's clock");
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      Backend lb = stack.backend("lb-1");
      out.println("web-1 dies; the balancer checks every 100 ms and needs 3 failed checks (fall 3):");
      stack.node("web-1").kill();
      for (int step = 1; step <= 3; step++) {
        stack.clock().advance(Duration.ofMillis(100));
        out.printf("  after %d ms: web-1 %s%n", step * 100, lb.server("web-1"));
      }
      show(stack.httpClient(), "GET", "http://www.foobar.com/", "web-1 is out of rotation: no refused connection");
      stack.node("web-1").restart();
      stack.clock().advance(Duration.ofMillis(200));
      out.printf("  restarted, 2 good checks later (rise 2): web-1 %s%n", lb.server("web-1"));
      stack.events().stream().filter(e -> e.type().equals("health"))
          .forEach(e -> out.println("  event " + e));
    }
  }

  private void audit() throws Exception {
    title("5. The audit: the seed's issues with each design, computed from the model");
    out.println(indent(StackSpec.simpleWebStack().audit().toString()));
    Audit audit = StackSpec.distributed().audit();
    out.println(indent(audit.toString()));
    out.println();
    out.println("Checked against the emulation: app-1 is a single point of failure the seed does not list.");
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.node("app-1").kill();
      show(stack.httpClient(), "GET", "http://www.foobar.com/api/posts",
          "losing app-1: " + audit.impactOfLosingComponent("app-1"));
      show(stack.httpClient(), "GET", "http://www.foobar.com/", "static pages are still served");
    }
  }

  private void dnsFaults() throws Exception {
    title("6. DNS faults: failover as clients meet it, and a failing name server");
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      HttpClient http = stack.httpClient();
      show(http, "GET", "http://www.foobar.com/", "www is cached for its " + DnsSpec.DEFAULT_TTL.toSeconds()
          + " s TTL");
      stack.dns().setA("www", Duration.ofSeconds(60), "10.0.0.12"); // fail over straight to web-2
      show(http, "GET", "http://www.foobar.com/", "still lb-1: clients keep the cached answer");
      stack.clock().advance(DnsSpec.DEFAULT_TTL);
      show(http, "GET", "http://www.foobar.com/", "web-2: seen once the TTL ran out");
      stack.dns().servfail("www");
      stack.clock().advance(Duration.ofSeconds(60));
      show(http, "GET", "http://www.foobar.com/", "the name server fails");
    }
  }

  private void replication() throws Exception {
    title("7. A primary and a replica: lag, a stale read, failover, what was lost");
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock()
        .database(db -> db.replicas(1).shipDelay(Duration.ofSeconds(2))).build().start()) {
      HttpClient http = stack.httpClient();
      show(http, "POST", "http://www.foobar.com/api/posts", "committed on db-1; replica db-2 receives it 2 s later");
      show(http, "GET", "http://www.foobar.com/api/posts/3", "reads go to db-2, which lags: a stale read");
      stack.clock().advance(Duration.ofSeconds(1));
      ReplicationStatus lag = stack.databaseCluster().status("db-2");
      out.printf("  one second later db-2 has executed {%s} of the primary's {%s}: receive lag %s ms%n",
          lag.executed(), stack.databaseCluster().status("db-1").executed(), lag.receiveLag().toMillis());
      stack.node("db-1").kill();
      FailoverReport report = stack.databaseCluster().failover(); // promotes db-2
      out.println("  " + report);
      show(http, "GET", "http://www.foobar.com/api/posts/3", "the new primary never had the acknowledged post");
    }
  }

  private void show(HttpClient http, String method, String url, String comment)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (method.equals("POST")) {
      request.POST(HttpRequest.BodyPublishers.ofString("written during the tour"));
    }
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    List<String> databases = RequestPath.databaseNodes(r);
    String detail = r.statusCode() < 400
        ? "path " + RequestPath.of(r) + (databases.isEmpty() ? "" : " > " + String.join(", ", databases))
        : r.headers().firstValue("x-webstack-error").orElse(firstLine(r.body()));
    out.printf("  %-4s %-38s -> %d  %s%n", method, url.replace("http://", ""), r.statusCode(), detail);
    if (comment != null) {
      out.printf("       (%s)%n", comment);
    }
  }

  private static String firstLine(String body) {
    String b = body.strip();
    int title = b.indexOf("<title>");
    if (title >= 0 && b.indexOf("</title>") > title) {
      return b.substring(title + "<title>".length(), b.indexOf("</title>")) + " (the node's own error page)";
    }
    if (b.startsWith("<html><body><h1>")) { // HAProxy's page
      return b.substring("<html><body><h1>".length(), b.indexOf("</h1>")) + " (HAProxy's page)";
    }
    int nl = b.indexOf('\n');
    return nl < 0 ? b : b.substring(0, nl);
  }

  private void title(String text) {
    out.println();
    out.println(text);
    out.println("-".repeat(text.length()));
  }

  private static String indent(String text) {
    return "  " + text.replace("\n", "\n  ");
  }
}
