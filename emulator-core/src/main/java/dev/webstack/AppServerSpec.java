package dev.webstack;

import dev.webstack.app.AppHandler;
import dev.webstack.app.DemoApplication;
import java.util.Objects;

/** An application server (Gunicorn's role) running the user's {@link AppHandler}. Immutable. */
public final class AppServerSpec extends ComponentSpec {

  private final AppHandler handler;

  private AppServerSpec(Builder b) {
    super(b);
    this.handler = b.handler;
  }

  /** The application code; the built-in {@link DemoApplication#posts()} unless set. */
  public AppHandler handler() {
    return handler;
  }

  @Override
  public ComponentKind kind() {
    return ComponentKind.APP_SERVER;
  }

  @Override
  public String toString() {
    return name() + " on " + host() + ":" + port();
  }

  /** Configures one application server; obtained from {@link StackSpec.Builder#appServers}. */
  public static final class Builder extends AbstractBuilder<Builder> {
    private AppHandler handler = DemoApplication.posts();

    Builder(String name) {
      super(name, ComponentKind.APP_SERVER.defaultPort());
    }

    /** The user's code; one instance may serve several nodes, so it must be thread-safe. */
    public Builder handler(AppHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    AppServerSpec build() {
      return new AppServerSpec(this);
    }
  }
}
