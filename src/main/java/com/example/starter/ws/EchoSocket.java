package com.example.starter.ws;

import com.example.starter.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

/** The echo: each text message comes back with {@code /answer}; {@code close} closes. */
final class EchoSocket {

  static final String PATH = "/ws/echo";

  private EchoSocket() {}

  static void serve(Vertx vertx, ServerWebSocket socket, AppConfig config) {
    TextMessages.handle(
        vertx,
        socket,
        config,
        text -> {
          if (text.equals("close")) {
            socket.close();
          } else {
            socket.writeTextMessage(text + "/answer");
          }
        },
        () -> {});
  }
}
