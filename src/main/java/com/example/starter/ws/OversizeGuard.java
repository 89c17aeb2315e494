package com.example.starter.ws;

import io.netty.handler.codec.CorruptedFrameException;
import io.vertx.core.http.ServerWebSocket;

/**
 * Closes a socket whose message went over {@code WS_MAX_MESSAGE_BYTES} with 1009 (message too big),
 * so the client learns why instead of seeing the connection drop.
 */
final class OversizeGuard {

  static final short MESSAGE_TOO_BIG = 1009;

  private OversizeGuard() {
  }

  static void install(ServerWebSocket socket) {
    socket.exceptionHandler(failure -> {
      // A single frame over the limit fails in Netty's decoder; several frames adding up to more
      // than the limit fail in Vert.x's aggregation with an IllegalStateException.
      if (failure instanceof CorruptedFrameException || failure instanceof IllegalStateException) {
        socket.close(MESSAGE_TOO_BIG, "message too big");
      }
    });
  }
}
