package com.example.starter.ws;

import com.example.starter.config.AppConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the ws verticles of one process share: each runs on an event loop of its own with its own
 * rooms (so a node's websocket work spreads over its loops), but a session's socket limit and the
 * node's figures are the node's. Found in the process's local shared data; thread-safe.
 */
final class ChatNode implements Shareable {

  private static final String KEY = ChatNode.class.getName();

  /** Open chat sockets per session id on this node, over every ws verticle. */
  private final Map<String, Integer> socketsOf = new ConcurrentHashMap<>();

  private final Set<ChatRooms> verticles = ConcurrentHashMap.newKeySet();

  private ChatNode(AppConfig config) {
    String registryName = config.metricsRegistry();
    MeterRegistry registry = registryName == null ? null : BackendRegistries.getNow(registryName);
    if (registry != null) {
      Gauge.builder("starter.chat.rooms", this, ChatNode::consumers)
          .description(
              "Chat room consumers on this node: one per room per event loop holding its sockets")
          .register(registry);
      Gauge.builder("starter.chat.sockets", this, ChatNode::sockets)
          .description("Open chat sockets on this node")
          .register(registry);
    }
  }

  /** This process's, made by the first ws verticle to ask. */
  static ChatNode of(Vertx vertx, AppConfig config) {
    return vertx
        .sharedData()
        .<String, ChatNode>getLocalMap(KEY)
        .computeIfAbsent(KEY, key -> new ChatNode(config));
  }

  void add(ChatRooms rooms) {
    verticles.add(rooms);
  }

  void remove(ChatRooms rooms) {
    verticles.remove(rooms);
  }

  /** Counts a socket of the session, unless it has {@code limit} already. */
  boolean reserve(String sessionId, int limit) {
    AtomicBoolean reserved = new AtomicBoolean();
    socketsOf.compute(
        sessionId,
        (id, count) -> {
          int held = count == null ? 0 : count;
          if (held >= limit) {
            return count;
          }
          reserved.set(true);
          return held + 1;
        });
    return reserved.get();
  }

  void release(String sessionId) {
    socketsOf.computeIfPresent(sessionId, (id, count) -> count == 1 ? null : count - 1);
  }

  private double consumers() {
    return verticles.stream().mapToInt(ChatRooms::consumers).sum();
  }

  private double sockets() {
    return verticles.stream().mapToInt(rooms -> rooms.members().size()).sum();
  }
}
