package dev.webstack.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** One HTTP request as the application sees it, with the stack's database at hand. Not thread-safe. */
public interface AppRequest {

  /** The upper-case method, for example {@code GET}. */
  String method();

  /**
   * The path, without the query string, as the web server forwarded it (prefix kept), percent-decoded as UTF-8 as
   * WSGI's {@code PATH_INFO} is, except {@code %2F}, which stays encoded so that it is not taken for a segment
   * separator (gunicorn decodes it to {@code /}): {@code /api/a%2Fb%20c} is {@code /api/a%2Fb c}, and a {@link
   * Routes} variable holding it is {@code a%2Fb c}.
   */
  String path();

  /** A path variable captured by a {@link Routes} pattern such as {@code /api/orders/{id}}. */
  Optional<String> pathParam(String name);

  /** The first value of a query parameter, percent-decoded as UTF-8, {@code +} read as a space. */
  Optional<String> queryParam(String name);

  /** The first value of a request header, case-insensitive. */
  Optional<String> header(String name);

  /** Every request header, names lower-cased. */
  Map<String, List<String>> headers();

  /** The request body decoded as UTF-8, empty for none. */
  String body();

  /** The name of the application server handling the request, for example {@code app-1}. */
  String node();

  /**
   * The stack's database as this application server reaches it over the modeled network: connections fail while
   * the database (or its host) is down.
   *
   * @throws IllegalStateException when the stack has no database
   */
  DataSource dataSource();
}
