package com.example.starter.ws;

import com.example.starter.config.AppConfig;
import com.example.starter.sessions.BusSessionStore;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code /ws/chat?room=NAME}: rooms for logged-in users. The handshake is refused, before any
 * upgrade, from an origin not on the allow-list (403: cross-site websocket hijacking), for a bad
 * room name (400) or without a live session (401).
 */
final class Chat {

  static final String PATH = "/ws/chat";
  private static final Pattern ROOM = Pattern.compile("[a-z0-9-]{1,32}");
  private static final short NORMAL = 1000;
  private static final short TRY_AGAIN_LATER = 1013;

  private final ChatRooms rooms;
  private final BusSessionStore sessions;

  /** Configured origins; empty: those the demo page is served from, on {@code httpPort}. */
  private final Set<String> allowedOrigins;

  private final IntSupplier httpPort;
  private final int messagesPerSecond;
  private final int writeQueueBytes;
  private final Vertx vertx;
  private final AppConfig config;
  private final int socketsPerSession;

  private final ChatNode node;

  Chat(Vertx vertx, AppConfig config, IntSupplier httpPort) {
    this.rooms = new ChatRooms(vertx);
    this.sessions = BusSessionStore.create(vertx, config);
    this.allowedOrigins =
        Arrays.stream(config.wsAllowedOrigins().split(","))
            .map(origin -> origin.trim().toLowerCase(Locale.ROOT))
            .filter(origin -> !origin.isEmpty())
            .collect(Collectors.toSet());
    this.httpPort = httpPort;
    this.messagesPerSecond = config.chatMessagesPerSecond();
    this.writeQueueBytes = config.wsWriteQueueBytes();
    this.vertx = vertx;
    this.config = config;
    this.socketsPerSession = config.wsSocketsPerSession();
    this.node = ChatNode.of(vertx, config);
    node.add(rooms);
  }

  private boolean allowed(String origin) {
    if (origin == null) {
      return false;
    }
    String normalised = origin.toLowerCase(Locale.ROOT);
    if (!allowedOrigins.isEmpty()) {
      return allowedOrigins.contains(normalised);
    }
    String port = ":" + httpPort.getAsInt();
    return normalised.equals("http://localhost" + port)
        || normalised.equals("http://127.0.0.1" + port);
  }

  void admit(ServerWebSocketHandshake handshake) {
    if (!allowed(handshake.headers().get("Origin"))) {
      handshake.reject(403);
      return;
    }
    List<String> room =
        new QueryStringDecoder(handshake.uri()).parameters().getOrDefault("room", List.of());
    if (room.size() != 1 || !ROOM.matcher(room.get(0)).matches()) {
      handshake.reject(400);
      return;
    }
    String sessionId = sessionId(handshake.headers().get("Cookie"));
    if (sessionId == null) {
      handshake.reject(401);
      return;
    }
    sessions
        .get(sessionId)
        .onComplete(
            session -> {
              String login = session == null ? null : session.get(BusSessionStore.LOGIN);
              if (login == null) {
                handshake.reject(401);
              } else if (!node.reserve(sessionId, socketsPerSession)) {
                // Each socket has its own rate limit: many sockets would multiply it towards
                // everyone in the room.
                handshake.reject(429);
              } else {
                handshake
                    .accept()
                    .onComplete(
                        socket ->
                            serve(
                                socket,
                                new ChatMember(
                                    socket, session, login, room.get(0), messagesPerSecond)),
                        failure -> node.release(sessionId));
              }
            },
            failure -> handshake.reject(503));
  }

  private static String sessionId(String cookieHeader) {
    if (cookieHeader == null) {
      return null;
    }
    return ServerCookieDecoder.STRICT.decode(cookieHeader).stream()
        .filter(cookie -> cookie.name().equals(BusSessionStore.COOKIE))
        .map(Cookie::value)
        .findFirst()
        .orElse(null);
  }

  private void serve(ServerWebSocket socket, ChatMember member) {
    socket.setWriteQueueMaxSize(writeQueueBytes);
    member.messages =
        TextMessages.handle(
            vertx,
            socket,
            config,
            text -> {
              if (member.withinRate(System.currentTimeMillis())) {
                rooms.publish(member, text);
                // Chatting is activity: it keeps the session alive (a write only once per touch
                // threshold).
                sessions.put(member.session);
              } else {
                socket.close(TextMessages.POLICY_VIOLATION, "too many messages");
              }
            },
            () -> {
              rooms.leave(member);
              node.release(member.session.id());
            });
    // A message is published to the consumers the cluster knows of: until the room's consumer here
    // is known everywhere, this socket's own messages could miss this node's listeners. Its
    // messages wait meanwhile.
    socket.pause();
    rooms
        .join(member)
        .onComplete(
            joined -> socket.resume(), failed -> socket.close(TRY_AGAIN_LATER, "try again"));
  }

  /**
   * Ended sessions' sockets close, on every node: every end of a session (logout, expiry) is
   * published.
   */
  void sessionsEnded(Set<String> sessionIds) {
    rooms.members().stream()
        .filter(member -> sessionIds.contains(member.session.id()))
        .forEach(member -> member.socket.close(NORMAL, "session ended"));
  }

  /** Completes once the chat hears of sessions that end or change, on every node. */
  Future<Void> listening() {
    return sessions.listening();
  }

  /** This verticle's rooms leave the node's figures. */
  void close() {
    node.remove(rooms);
  }
}
