package com.example.starter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;

/** How a websocket ends, for tests that make it end: ask before whatever closes it. */
public final class WebSocketClose {

  private WebSocketClose() {}

  /** The close status {@code socket} will end with (1000, 1001, 1008, ...). */
  public static Future<Short> status(WebSocket socket) {
    Promise<Short> closed = Promise.promise();
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode()));
    return closed.future();
  }
}
