package dev.webstack.app;

/**
 * The user's application code, run by every application server (Gunicorn's role) on a worker thread, so it may
 * block on JDBC. An exception thrown here, or an error such as a failed assertion, becomes an HTTP 500 for that
 * request only; the node keeps serving.
 *
 * <p>{@link Routes} builds one from path patterns; a lambda works too:
 *
 * <pre>{@code
 * AppHandler hello = request -> AppResponse.text("hello from " + request.node());
 * }</pre>
 */
@FunctionalInterface
public interface AppHandler {

  AppResponse handle(AppRequest request) throws Exception;
}
