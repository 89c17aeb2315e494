package com.example.starter.ws;

import com.example.starter.config.AppConfig;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.http.WebSocketInternal;
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
 *   <li>a client that does not read: while the socket's write queue is full nothing more is read
 *       from its connection, pings included, and if the queue is still full after {@code
 *       WS_NOT_READING_SECONDS} the socket is closed, 1008 "not reading" ({@link #notReading}).
 *       Pausing the socket would not do: Vert.x answers each ping with a pong as it reads it,
 *       whatever the write queue holds, and reads the next frame after a ping even while paused;
 *   <li>more than {@link #MAX_PINGS_PER_WINDOW} pings in {@link #PING_WINDOW_MILLIS}: 1008 "too
 *       many pings". A ping flood from a client that reads nothing can stall TCP both ways on
 *       loopback (each side's segments dropped by the other's full buffer, both backing off), and
 *       the server's kernel then holds the pongs: the write queue never fills, and the socket only
 *       looks quiet;
 *   <li>a quiet socket is pinged, and one that answers nothing, not even the ping, is closed (1001)
 *       within {@code WS_IDLE_TIMEOUT_SECONDS}, having had a quarter of it to answer: a browser
 *       sends no pings of its own, and its user may read a quiet page for as long as they like.
 * </ul>
 */
final class TextMessages {

  static final short PROTOCOL_ERROR = 1002;
  static final short UNSUPPORTED_DATA = 1003;
  static final short INVALID_PAYLOAD = 1007;
  static final short POLICY_VIOLATION = 1008;
  static final short MESSAGE_TOO_BIG = 1009;

  static final short GOING_AWAY = 1001;

  /** Pings a client may send in {@link #PING_WINDOW_MILLIS}; a keep-alive needs one. */
  static final int MAX_PINGS_PER_WINDOW = 100;

  static final long PING_WINDOW_MILLIS = 10_000;

  private final Vertx vertx;
  private final ServerWebSocket socket;
  private final int maxBytes;
  private final long notReadingMillis;
  private final Handler<String> handler;

  /** The text message being assembled from its frames; null between messages. */
  private Buffer message;

  private long lastFrameAt = System.currentTimeMillis();

  /** When the last ping went out; answered once a frame has come since. */
  private long pingSentAt;

  /** The timer that closes a socket whose client has stopped reading; -1 while it reads. */
  private long notReadingTimer = -1;

  private final RateWindow pings = new RateWindow(MAX_PINGS_PER_WINDOW, PING_WINDOW_MILLIS);

  /** Set once the connection is being failed: nothing more is read or answered. */
  private boolean failed;

  private boolean closed;

  private TextMessages(
      Vertx vertx, ServerWebSocket socket, AppConfig config, Handler<String> handler) {
    this.vertx = vertx;
    this.socket = socket;
    this.maxBytes = config.wsMaxMessageBytes();
    this.notReadingMillis = TimeUnit.SECONDS.toMillis(config.wsNotReadingSeconds());
    this.handler = handler;
  }

  /**
   * Hands the socket's text messages to {@code handler}, within the limits above; closes it (1001)
   * when the server shuts down, and runs {@code whenClosed} once it is closed (the socket's close
   * handler is this class's). Liveness is judged by frames, not bytes: a frame sent a byte at a
   * time does not keep a socket open.
   */
  static TextMessages handle(
      Vertx vertx,
      ServerWebSocket socket,
      AppConfig config,
      Handler<String> handler,
      Runnable whenClosed) {
    TextMessages messages = new TextMessages(vertx, socket, config, handler);
    socket.frameHandler(messages::frame);
    socket.exceptionHandler(messages::failed);
    long idle = TimeUnit.SECONDS.toMillis(config.wsIdleTimeoutSeconds());
    // Checked every quarter timeout: a socket quiet for a quarter of it is pinged (by half of it),
    // and one that has answered nothing a quarter later is closed (by three quarters; the last
    // quarter is room for a late timer on a busy event loop).
    long timer = idle == 0 ? -1 : vertx.setPeriodic(idle / 4, tick -> messages.checkLiveness(idle));
    // A server that stops (SIGTERM, undeploy) shuts its sockets down with 1000 unless told: 1001
    // says "going away", which clients such as the demo page take as "reconnect".
    socket.shutdownHandler(shutdown -> socket.close(GOING_AWAY, "server shutting down"));
    // Cancelled at once: a timer left to find the socket closed would hold it for half a timeout.
    socket.closeHandler(
        closed -> {
          messages.closed = true;
          vertx.cancelTimer(timer);
          vertx.cancelTimer(messages.notReadingTimer);
          whenClosed.run();
        });
    return messages;
  }

  private void checkLiveness(long idle) {
    if (closed || notReadingTimer != -1) {
      return;
    }
    long now = System.currentTimeMillis();
    long quiet = now - lastFrameAt;
    boolean pingUnanswered = pingSentAt > lastFrameAt;
    if (pingUnanswered && now - pingSentAt >= idle / 4) {
      socket.close(GOING_AWAY, "idle");
    } else if (!pingUnanswered && quiet >= idle / 4) {
      pingSentAt = now;
      socket.writePing(Buffer.buffer("ping"));
    }
  }

  /** Closes the socket of a client that has stopped reading: 1008 "not reading". */
  void notReading() {
    fail(POLICY_VIOLATION, "not reading");
  }

  /**
   * Fails the connection (RFC 6455, 7.1.7): sends the close frame, reads nothing more, and drops
   * the connection if the close has not got past what the client left unread within {@code
   * WS_NOT_READING_SECONDS} (Vert.x's closing timeout starts only once the frame is sent).
   */
  private void fail(short code, String reason) {
    // Once: the chat may find the queue full while this socket's own timer is about to say so.
    if (failed || closed || socket.isClosed()) {
      return;
    }
    failed = true;
    connection().channel().config().setAutoRead(false);
    socket.close(code, reason);
    vertx.setTimer(
        notReadingMillis,
        waited -> {
          if (!closed) {
            connection().close();
          }
        });
  }

  private ChannelHandlerContext connection() {
    return ((WebSocketInternal) socket).channelHandlerContext();
  }

  private void frame(WebSocketFrame frame) {
    lastFrameAt = System.currentTimeMillis();
    if (failed) {
      // Vert.x turns reading back on when its own queue of frames read ahead empties.
      connection().channel().config().setAutoRead(false);
      return;
    }
    if (frame.isPing() && !pings.allows(lastFrameAt)) {
      fail(POLICY_VIOLATION, "too many pings");
    } else if (frame.isBinary() || frame.isContinuation() && message == null) {
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
    if (failed || closed || socket.isClosed() || !socket.writeQueueFull()) {
      return;
    }
    // On every frame read meanwhile: Vert.x turns reading back on when its own queue of frames
    // read ahead empties.
    ChannelConfig channel = connection().channel().config();
    channel.setAutoRead(false);
    if (notReadingTimer == -1) {
      notReadingTimer = vertx.setTimer(notReadingMillis, stalled -> notReading());
      socket.drainHandler(
          drained -> {
            vertx.cancelTimer(notReadingTimer);
            notReadingTimer = -1;
            channel.setAutoRead(!failed);
          });
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
