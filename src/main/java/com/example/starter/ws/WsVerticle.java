package com.example.starter.ws;

import com.example.starter.bus.Addresses;
import com.example.starter.config.AppConfig;
import com.example.starter.ops.RequestIds;
import com.example.starter.server.ErrorBody;
import com.example.starter.server.HttpFraming;
import com.example.starter.server.Servers;
import com.example.starter.server.SlowClients;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * WebSockets on {@code WS_PORT}: the echo and the chat. Unknown paths are refused at the handshake,
 * before any upgrade. Deployed once per event loop ({@code WS_INSTANCES}): each instance serves its
 * own sockets, on its own loop, with its own rooms and their bus consumers (see {@link ChatNode}).
 */
public class WsVerticle extends Servers.Server {

  /** Where the demo page is served, for the chat's default origins; null: {@code HTTP_PORT}. */
  private final IntSupplier httpPort;

  private AppConfig settings;
  private HttpServer server;
  private Chat chat;
  private SlowClients slowClients;

  public WsVerticle() {
    this(null);
  }

  /**
   * With the port the http verticles of this process got, when it is known only once they listen.
   */
  public WsVerticle(IntSupplier httpPort) {
    this.httpPort = httpPort;
  }

  @Override
  public Future<?> start() {
    settings = AppConfig.of(config());
    int maxMessage = settings.wsMaxMessageBytes();
    // No compression: no extension is negotiated, so a frame with a reserved bit set is refused
    // (1002), and no client can make the server inflate a small frame into a large message.
    HttpServerOptions options =
        Servers.options(settings)
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false)
            .setMaxWebSocketMessageSize(maxMessage)
            .setMaxWebSocketFrameSize(maxMessage)
            // Every write to a connection here is made on its own event loop, so a connection can
            // write directly: without this, the HTTP connection a socket was upgraded from keeps a
            // cross-thread write queue (a 4 KiB array) for as long as the socket lives.
            .setStrictThreadMode(true)
            // Silence is judged per connection phase instead: SlowClients before the handshake,
            // TextMessages (frames, pinging a quiet socket, with a 1001) after it; a timeout on
            // bytes read would cut a quiet reader of the page short.
            .setIdleTimeout(0)
            .setReadIdleTimeout(0);
    chat = new Chat(vertx, settings, httpPort != null ? httpPort : settings::httpPort);
    server = HttpFraming.install(vertx.createHttpServer(options));
    // Until its handshake, a connection is held to the HTTP port's limits; then to the websocket's.
    slowClients =
        SlowClients.watch(
            vertx, server, Servers.idleMillis(settings), Servers.bodyMillis(settings));
    server
        .webSocketHandshakeHandler(this::handshake)
        .requestHandler(
            request -> {
              slowClients.started(request);
              request
                  .response()
                  .setStatusCode(426)
                  .putHeader("Content-Type", "application/json")
                  .end(
                      ErrorBody.json(
                          426,
                          "this port serves websockets only: "
                              + EchoSocket.PATH
                              + ", "
                              + Chat.PATH));
            });
    MessageConsumer<JsonObject> sessionsEnded =
        vertx
            .eventBus()
            .consumer(
                Addresses.SESSION_ENDED,
                message ->
                    chat.sessionsEnded(
                        message.body().getJsonArray("ids").stream()
                            .map(String.class::cast)
                            .collect(Collectors.toSet())));
    return Future.all(sessionsEnded.completion(), chat.listening())
        .compose(registered -> server.listen(settings.wsPort(), settings.wsHost()));
  }

  private void handshake(ServerWebSocketHandshake handshake) {
    slowClients.upgraded(handshake.remoteAddress());
    // The socket's id, as a request's: on its session lookup and its log lines, on any node.
    RequestIds.set(
        vertx.getOrCreateContext(),
        RequestIds.acceptOrMake(handshake.headers().get(RequestIds.HEADER)));
    HttpFraming.Refusal refusal = HttpFraming.refusal(handshake.headers(), handshake.path());
    if (refusal != null) {
      handshake.reject(refusal.status());
      return;
    }
    switch (handshake.path()) {
      case EchoSocket.PATH ->
          handshake.accept().onSuccess(socket -> EchoSocket.serve(vertx, socket, settings));
      case Chat.PATH -> chat.admit(handshake);
      default -> handshake.reject(404);
    }
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    chat.close();
    return server.shutdown(settings.shutdownGraceSeconds(), TimeUnit.SECONDS);
  }
}
