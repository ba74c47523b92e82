package dev.webstack.junit.jqwik;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import dev.webstack.junit.TrafficRecorder;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Stand-ins of the right type for parameters jqwik resolves before the try's stack exists; {@link
 * WebStackTryHook} replaces each with the real handle before the property method runs, so they never reach user
 * code. Each call returns a new object (they are told apart by identity). Using one fails, saying why.
 */
final class Placeholders {

  private static final StackSpec SPEC = StackSpec.simpleWebStack();

  private Placeholders() {}

  /** A placeholder for {@code type}, or empty when the type cannot have one. */
  static Optional<Object> of(Class<?> type) {
    if (type == EmulatedStack.class) {
      return Optional.of(SPEC.create()); // never started: holds nothing to release
    } else if (type == StackSpec.class) {
      return Optional.of(SPEC.toBuilder().build());
    } else if (type == TrafficRecorder.class) {
      return Optional.of(TrafficRecorder.of(SPEC.create()));
    } else if (type == StackState.class) {
      return Optional.of(StackState.of(SPEC.create()));
    } else if (type == HttpClient.class) {
      return Optional.of(new PlaceholderClient());
    } else if (type.isInterface()) {
      return Optional.of(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
        if (method.getName().equals("toString") && method.getParameterCount() == 0) {
          return "placeholder " + type.getSimpleName();
        }
        if (method.getName().equals("hashCode") && method.getParameterCount() == 0) {
          return System.identityHashCode(proxy);
        }
        if (method.getName().equals("equals") && method.getParameterCount() == 1) {
          return proxy == args[0];
        }
        throw misuse(type);
      }));
    }
    return Optional.empty();
  }

  static IllegalStateException misuse(Class<?> type) {
    return new IllegalStateException("a placeholder " + type.getSimpleName() + " was used: parameters of a "
        + "@WebStackProperty try are bound to the try's stack only while the try runs");
  }

  /** An {@link HttpClient} that is only a placeholder. */
  private static final class PlaceholderClient extends HttpClient {
    @Override
    public Optional<CookieHandler> cookieHandler() {
      throw misuse(HttpClient.class);
    }

    @Override
    public Optional<Duration> connectTimeout() {
      throw misuse(HttpClient.class);
    }

    @Override
    public Redirect followRedirects() {
      throw misuse(HttpClient.class);
    }

    @Override
    public Optional<ProxySelector> proxy() {
      throw misuse(HttpClient.class);
    }

    @Override
    public SSLContext sslContext() {
      throw misuse(HttpClient.class);
    }

    @Override
    public SSLParameters sslParameters() {
      throw misuse(HttpClient.class);
    }

    @Override
    public Optional<Authenticator> authenticator() {
      throw misuse(HttpClient.class);
    }

    @Override
    public Version version() {
      throw misuse(HttpClient.class);
    }

    @Override
    public Optional<Executor> executor() {
      throw misuse(HttpClient.class);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
      throw misuse(HttpClient.class);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
        HttpResponse.BodyHandler<T> handler) {
      throw misuse(HttpClient.class);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
        HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
      throw misuse(HttpClient.class);
    }

    @Override
    public String toString() {
      return "placeholder HttpClient";
    }
  }
}
