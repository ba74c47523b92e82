package dev.webstack.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** An {@link AppRequest} that forwards every call, for wrappers that change one answer. */
abstract class ForwardingAppRequest implements AppRequest {
  private final AppRequest delegate;

  ForwardingAppRequest(AppRequest delegate) {
    this.delegate = delegate;
  }

  @Override
  public String method() {
    return delegate.method();
  }

  @Override
  public String path() {
    return delegate.path();
  }

  @Override
  public Optional<String> pathParam(String name) {
    return delegate.pathParam(name);
  }

  @Override
  public Optional<String> queryParam(String name) {
    return delegate.queryParam(name);
  }

  @Override
  public Optional<String> header(String name) {
    return delegate.header(name);
  }

  @Override
  public Map<String, List<String>> headers() {
    return delegate.headers();
  }

  @Override
  public String body() {
    return delegate.body();
  }

  @Override
  public String node() {
    return delegate.node();
  }

  @Override
  public DataSource dataSource() {
    return delegate.dataSource();
  }
}
