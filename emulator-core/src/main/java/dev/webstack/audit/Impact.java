package dev.webstack.audit;

/**
 * What losing a component or a host does to the two kinds of request an audit speaks about: a static page
 * ({@code GET /}, answered by a web server) and an application request (a path under the web servers' dynamic
 * prefix, {@code /api/} by default, answered by an application server that reads the database).
 */
public enum Impact {
  /** Both kinds of request are still served: another path leads around the loss. */
  NONE,
  /** Application requests fail; static pages are still served (the application tier or its data is cut off). */
  APPLICATION,
  /** Static pages fail, and so do application requests: the site is down. */
  SITE
}
