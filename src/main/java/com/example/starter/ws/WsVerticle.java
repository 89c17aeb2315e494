package com.example.starter.ws;

import com.example.starter.config.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/** WebSockets on {@code WS_PORT}. Unknown paths are refused at the handshake, before any upgrade. */
public class WsVerticle extends VerticleBase {

  private HttpServer server;

  @Override
  public Future<?> start() {
    int maxMessage = config().getInteger(ConfigKeys.WS_MAX_MESSAGE_BYTES);
    HttpServerOptions options = new HttpServerOptions()
      .setMaxWebSocketMessageSize(maxMessage)
      .setMaxWebSocketFrameSize(maxMessage)
      .setIdleTimeout(config().getInteger(ConfigKeys.WS_IDLE_TIMEOUT_SECONDS))
      .setIdleTimeoutUnit(TimeUnit.SECONDS);
    server = vertx.createHttpServer(options)
      .webSocketHandshakeHandler(this::handshake)
      .webSocketHandler(socket -> {
        OversizeGuard.install(socket);
        EchoSocket.serve(socket);
      })
      .requestHandler(request -> request.response()
        .setStatusCode(426)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", "upgrade_required")
          .put("message", "this port serves websockets only: " + EchoSocket.PATH).encode()));
    return server.listen(config().getInteger(ConfigKeys.WS_PORT), config().getString(ConfigKeys.WS_HOST));
  }

  private void handshake(ServerWebSocketHandshake handshake) {
    if (EchoSocket.PATH.equals(handshake.path())) {
      handshake.accept();
    } else {
      handshake.reject(404);
    }
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(config().getInteger(ConfigKeys.SHUTDOWN_GRACE_SECONDS), TimeUnit.SECONDS);
  }
}
