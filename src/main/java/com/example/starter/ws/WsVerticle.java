package com.example.starter.ws;

import com.example.starter.bus.Addresses;
import com.example.starter.config.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * WebSockets on {@code WS_PORT}: the echo and the chat. Unknown paths are refused at the handshake,
 * before any upgrade. One instance per process: its rooms, and their bus consumers, are per node.
 */
public class WsVerticle extends VerticleBase {

  private HttpServer server;
  private Chat chat;
  private long pinger;

  @Override
  public Future<?> start() {
    int maxMessage = config().getInteger(ConfigKeys.WS_MAX_MESSAGE_BYTES);
    HttpServerOptions options = new HttpServerOptions()
      .setMaxWebSocketMessageSize(maxMessage)
      .setMaxWebSocketFrameSize(maxMessage)
      .setIdleTimeout(config().getInteger(ConfigKeys.WS_IDLE_TIMEOUT_SECONDS))
      .setIdleTimeoutUnit(TimeUnit.SECONDS);
    chat = new Chat(vertx, config());
    pinger = vertx.setPeriodic(TimeUnit.SECONDS.toMillis(config().getInteger(ConfigKeys.WS_PING_SECONDS)), tick -> chat.pingAll());
    server = vertx.createHttpServer(options)
      .webSocketHandshakeHandler(this::handshake)
      .requestHandler(request -> request.response()
        .setStatusCode(426)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", "upgrade_required")
          .put("message", "this port serves websockets only: " + EchoSocket.PATH + ", " + Chat.PATH).encode()));
    MessageConsumer<JsonObject> sessionsEnded = vertx.eventBus().consumer(Addresses.SESSION_ENDED,
      message -> chat.sessionsEnded(message.body().getJsonArray("ids").stream().map(String.class::cast).collect(Collectors.toSet())));
    return Future.all(sessionsEnded.completion(), chat.listening())
      .compose(registered -> server.listen(config().getInteger(ConfigKeys.WS_PORT), config().getString(ConfigKeys.WS_HOST)));
  }

  private void handshake(ServerWebSocketHandshake handshake) {
    switch (handshake.path()) {
      case EchoSocket.PATH -> handshake.accept().onSuccess(socket -> {
        OversizeGuard.install(socket);
        EchoSocket.serve(socket);
      });
      case Chat.PATH -> chat.admit(handshake);
      default -> handshake.reject(404);
    }
  }

  /** Rooms with a bus consumer on this node. */
  int chatRoomConsumers() {
    return chat.roomConsumers();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pinger);
    return server.shutdown(config().getInteger(ConfigKeys.SHUTDOWN_GRACE_SECONDS), TimeUnit.SECONDS);
  }
}
