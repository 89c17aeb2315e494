package com.example.starter.ws;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Session;

/**
 * One chat socket: who it is, where, and what it has been doing lately. Used on its event loop
 * only.
 */
final class ChatMember {

  final ServerWebSocket socket;

  /**
   * The session the socket was opened with: kept alive by the socket's messages, closed with it.
   */
  final Session session;

  final String login;
  final String room;
  private final RateWindow messagesPerSecond;

  /** The socket's messages, set once they are handled. */
  TextMessages messages;

  ChatMember(
      ServerWebSocket socket, Session session, String login, String room, int messagesPerSecond) {
    this.socket = socket;
    this.session = session;
    this.login = login;
    this.room = room;
    this.messagesPerSecond = new RateWindow(messagesPerSecond, 1000);
  }

  /** Counts a message sent; false once the socket sends faster than allowed within one second. */
  boolean withinRate(long nowMillis) {
    return messagesPerSecond.allows(nowMillis);
  }

  /** Writes unless the client has stopped reading: then it is closed rather than queued for. */
  boolean deliver(String text) {
    // A socket closes before its close handler takes it out of its room.
    if (socket.isClosed()) {
      return false;
    }
    if (socket.writeQueueFull()) {
      messages.notReading();
      return false;
    }
    socket.writeTextMessage(text);
    return true;
  }
}
