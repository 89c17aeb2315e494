package com.example.starter.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Session;

/**
 * One chat socket: who it is, where, and what it has been doing lately. Used on its event loop
 * only.
 */
final class ChatMember {

  static final short POLICY_VIOLATION = 1008;

  final ServerWebSocket socket;

  /**
   * The session the socket was opened with: kept alive by the socket's messages, closed with it.
   */
  final Session session;

  final String login;
  final String room;
  private final int messagesPerSecond;
  private long windowStart;
  private int sentInWindow;
  private boolean answeredPing = true;

  ChatMember(
      ServerWebSocket socket, Session session, String login, String room, int messagesPerSecond) {
    this.socket = socket;
    this.session = session;
    this.login = login;
    this.room = room;
    this.messagesPerSecond = messagesPerSecond;
    socket.pongHandler(pong -> answeredPing = true);
  }

  /** Counts a message sent; false once the socket sends faster than allowed within one second. */
  boolean withinRate(long nowMillis) {
    if (nowMillis - windowStart >= 1000) {
      windowStart = nowMillis;
      sentInWindow = 0;
    }
    return ++sentInWindow <= messagesPerSecond;
  }

  /** Writes unless the client has stopped reading: then it is closed rather than queued for. */
  boolean deliver(String text) {
    // A socket closes before its close handler takes it out of its room.
    if (socket.isClosed()) {
      return false;
    }
    if (socket.writeQueueFull()) {
      socket.close(POLICY_VIOLATION, "not reading");
      return false;
    }
    socket.writeTextMessage(text);
    return true;
  }

  /** Pings, or closes a socket that did not answer the previous ping. */
  void ping() {
    if (socket.isClosed()) {
      return;
    }
    if (!answeredPing) {
      socket.close(POLICY_VIOLATION, "no answer to ping");
      return;
    }
    answeredPing = false;
    socket.writePing(Buffer.buffer("ping"));
  }
}
