package com.example.starter.ws;

import io.vertx.core.http.ServerWebSocket;

/** The origin talk's echo: each text message comes back with {@code /answer}; {@code close} closes. */
final class EchoSocket {

  static final String PATH = "/ws/echo";

  private EchoSocket() {
  }

  static void serve(ServerWebSocket socket) {
    socket.textMessageHandler(text -> {
      if (text.equals("close")) {
        socket.close();
        return;
      }
      socket.writeTextMessage(text + "/answer");
      // A client that sends without reading would otherwise grow our write queue without bound.
      if (socket.writeQueueFull()) {
        socket.pause();
        socket.drainHandler(drained -> socket.resume());
      }
    });
  }
}
