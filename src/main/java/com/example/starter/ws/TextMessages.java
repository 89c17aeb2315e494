package com.example.starter.ws;

import com.example.starter.config.Setting;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Text messages from a socket, with the limits a client cannot lift and the close codes RFC 6455
 * gives each breach (Vert.x's own aggregation would pass invalid UTF-8 on as U+FFFD and report
 * every frame error as one kind):
 *
 * <ul>
 *   <li>a message over {@code maxBytes}: 1009 (message too big);
 *   <li>a text message that is not UTF-8: 1007 (invalid payload data);
 *   <li>a binary message: 1003 (unsupported data), these endpoints speak text;
 *   <li>a frame the decoder refuses (unmasked, reserved opcode, control frame over 125 bytes): the
 *       decoder's code, 1002 (protocol error) for those;
 *   <li>a client that sends but does not read, pings included (each is answered with a pong): its
 *       frames are no longer read while the socket's write queue is full, so what is queued for it
 *       stays bounded.
 * </ul>
 */
final class TextMessages {

  static final short PROTOCOL_ERROR = 1002;
  static final short UNSUPPORTED_DATA = 1003;
  static final short INVALID_PAYLOAD = 1007;
  static final short MESSAGE_TOO_BIG = 1009;

  static final short GOING_AWAY = 1001;

  private final ServerWebSocket socket;
  private final int maxBytes;
  private final Handler<String> handler;

  /** The text message being assembled from its frames; null between messages. */
  private Buffer message;

  private long lastFrameAt = System.currentTimeMillis();

  private TextMessages(ServerWebSocket socket, int maxBytes, Handler<String> handler) {
    this.socket = socket;
    this.maxBytes = maxBytes;
    this.handler = handler;
  }

  /**
   * Hands the socket's text messages to {@code handler}, within {@code WS_MAX_MESSAGE_BYTES};
   * closes it (1001) when it has completed no frame, pongs included, for {@code
   * WS_IDLE_TIMEOUT_SECONDS} or when the server shuts down, and runs {@code whenClosed} once it is
   * closed (the socket's close handler is this class's): the server's idle timeout restarts on
   * every byte, so a frame sent a byte at a time never ends it.
   */
  static void handle(
      Vertx vertx,
      ServerWebSocket socket,
      JsonObject config,
      Handler<String> handler,
      Runnable whenClosed) {
    TextMessages messages =
        new TextMessages(socket, config.getInteger(Setting.WS_MAX_MESSAGE_BYTES.name()), handler);
    socket.frameHandler(messages::frame);
    socket.exceptionHandler(messages::failed);
    long idle =
        TimeUnit.SECONDS.toMillis(config.getInteger(Setting.WS_IDLE_TIMEOUT_SECONDS.name()));
    // Checked every half timeout: a socket goes between one and one and a half timeouts idle.
    long timer =
        idle == 0
            ? -1
            : vertx.setPeriodic(
                idle / 2,
                tick -> {
                  if (System.currentTimeMillis() - messages.lastFrameAt > idle) {
                    socket.close(GOING_AWAY, "idle");
                  }
                });
    // A server that stops (SIGTERM, undeploy) shuts its sockets down with 1000 unless told: 1001
    // says "going away", which clients such as the demo page take as "reconnect".
    socket.shutdownHandler(shutdown -> socket.close(GOING_AWAY, "server shutting down"));
    // Cancelled at once: a timer left to find the socket closed would hold it for half a timeout.
    socket.closeHandler(
        closed -> {
          vertx.cancelTimer(timer);
          whenClosed.run();
        });
  }

  private void frame(WebSocketFrame frame) {
    lastFrameAt = System.currentTimeMillis();
    if (frame.isBinary() || frame.isContinuation() && message == null) {
      socket.close(UNSUPPORTED_DATA, "text messages only");
    } else if (frame.isText() || frame.isContinuation()) {
      append(frame);
    }
    stopReadingWhileTheClientDoesNot();
  }

  private void append(WebSocketFrame frame) {
    if (frame.isText()) {
      message = Buffer.buffer();
    }
    if (message.length() + frame.binaryData().length() > maxBytes) {
      message = null;
      socket.close(MESSAGE_TOO_BIG, "message too big");
      return;
    }
    message.appendBuffer(frame.binaryData());
    if (frame.isFinal()) {
      Buffer complete = message;
      message = null;
      String text = utf8(complete);
      if (text == null) {
        socket.close(INVALID_PAYLOAD, "not UTF-8");
      } else {
        handler.handle(text);
      }
    }
  }

  private static String utf8(Buffer bytes) {
    CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return strict.decode(ByteBuffer.wrap(bytes.getBytes())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private void stopReadingWhileTheClientDoesNot() {
    // A closed socket's write queue cannot be asked about (Vert.x throws): a message may have
    // closed it.
    if (!socket.isClosed() && socket.writeQueueFull()) {
      socket.pause();
      socket.drainHandler(drained -> socket.resume());
    }
  }

  private void failed(Throwable failure) {
    if (failure instanceof CorruptedWebSocketFrameException corrupted) {
      socket.close((short) corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
    } else if (failure instanceof CorruptedFrameException) {
      socket.close(PROTOCOL_ERROR, "protocol error");
    }
  }
}
