package com.example.starter.dev;

import com.example.starter.config.AppConfig;
import com.example.starter.config.Role;
import com.example.starter.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.BodyTransformers;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The dev loop's front: it holds the ports a developer uses (HTTP_PORT, WS_PORT) and passes each
 * request and websocket to the generation serving now, so that a reload never refuses a connection.
 * While the code does not compile, HTML pages carry the error at the top.
 */
final class DevProxy {

  private static final String LOOPBACK = "127.0.0.1";
  private static final MediaType HTML = MediaType.parse("text/html");

  private final List<HttpServer> servers = new ArrayList<>();
  private volatile Generation serving;

  /** Null while the code compiles and starts. */
  private volatile String error;

  private DevProxy(Generation serving) {
    this.serving = serving;
  }

  /** Listens where {@code config} says the servers are, in front of {@code first}. */
  static Future<DevProxy> start(Vertx vertx, AppConfig config, Generation first) {
    DevProxy proxy = new DevProxy(first);
    HttpClient client = vertx.createHttpClient();
    List<Future<HttpServer>> listening = new ArrayList<>();
    listening.add(
        proxy.listen(
            vertx, client, Generation::httpPort, config.httpPort(), config.httpHost(), true));
    if (config.has(Role.WS)) {
      listening.add(
          proxy.listen(vertx, client, Generation::wsPort, config.wsPort(), config.wsHost(), false));
    }
    return Future.all(listening)
        .map(
            all -> {
              proxy.servers.addAll(all.list());
              return proxy;
            });
  }

  private Future<HttpServer> listen(
      Vertx vertx,
      HttpClient client,
      ToIntFunction<Generation> port,
      int frontPort,
      String host,
      boolean pages) {
    HttpProxy proxy =
        HttpProxy.reverseProxy(client)
            .origin(
                OriginRequestProvider.selector(
                    request ->
                        Future.succeededFuture(
                            SocketAddress.inetSocketAddress(port.applyAsInt(serving), LOOPBACK))));
    if (pages) {
      proxy.addInterceptor(
          ProxyInterceptor.builder()
              .transformingResponseBody(BodyTransformers.transform(HTML, HTML, this::withBanner))
              .build());
    }
    return vertx.createHttpServer().requestHandler(proxy).listen(frontPort, host);
  }

  /** Serves {@code next} from now on; answers the generation it replaces. */
  Generation serve(Generation next) {
    Generation before = serving;
    serving = next;
    error = null;
    return before;
  }

  Generation serving() {
    return serving;
  }

  /** Shows {@code message} on every page until the next generation serves. */
  void showError(String message) {
    error = message;
  }

  private Buffer withBanner(Buffer page) {
    String message = error;
    if (message == null) {
      return page;
    }
    String html = page.toString();
    int body = html.indexOf("<body");
    int afterBody = body < 0 ? 0 : html.indexOf('>', body) + 1;
    return Buffer.buffer(
        html.substring(0, afterBody)
            + "<pre id=\"dev-error\" role=\"alert\">The last change did not load, so the code"
            + " before it is serving:\n"
            + escaped(message)
            + "</pre>"
            + html.substring(afterBody));
  }

  private static String escaped(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  Future<Void> close() {
    return Future.all(servers.stream().map(HttpServer::close).toList()).mapEmpty();
  }

  /** {@code config} with the ports the front got (they differ when it asked for port 0). */
  AppConfig listening(AppConfig config) {
    AppConfig withHttp = config.withPort(Setting.HTTP_PORT, servers.get(0).actualPort());
    return servers.size() == 1
        ? withHttp
        : withHttp.withPort(Setting.WS_PORT, servers.get(1).actualPort());
  }
}
