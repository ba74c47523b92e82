package dev.webstack.audit;

/**
 * What losing a component or a host does to the kinds of request an audit speaks about: a static page ({@code GET
 * /}, answered by a web server) and application requests (a path under the web servers' dynamic prefix, {@code
 * /api/} by default, answered by an application server that reads or writes the database). In order of severity.
 */
public enum Impact {
  /** Both kinds of request are still served: another path leads around the loss. */
  NONE,
  /**
   * Application requests that write fail; those that read are still served, and so are static pages: the primary
   * database is lost and its replicas, read-only, answer the reads until a failover promotes one.
   */
  WRITES,
  /** Application requests fail; static pages are still served (the application tier or its data is cut off). */
  APPLICATION,
  /** Static pages fail, and so do application requests: the site is down. */
  SITE
}
