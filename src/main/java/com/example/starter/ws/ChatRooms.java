package com.example.starter.ws;

import com.example.starter.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms this ws verticle has sockets in. Each room has one event-bus consumer, whatever its
 * number of sockets, created with the first socket and removed with the last. A message is
 * published once; every node's consumer writes it to its own sockets.
 */
final class ChatRooms {

  private final Vertx vertx;

  /**
   * Changed on the verticle's event loop only; concurrent so that it can be looked at from
   * elsewhere.
   */
  private final Map<String, Room> rooms = new ConcurrentHashMap<>();

  private static final class Room {
    final Set<ChatMember> members = new HashSet<>();
    MessageConsumer<JsonObject> consumer;
  }

  ChatRooms(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Completes once the room's consumer is registered, so the member hears what is sent next. */
  Future<Void> join(ChatMember member) {
    Room room =
        rooms.computeIfAbsent(
            member.room,
            name -> {
              Room created = new Room();
              created.consumer =
                  vertx
                      .eventBus()
                      .consumer(
                          Addresses.chatRoom(name), message -> deliver(created, message.body()));
              return created;
            });
    room.members.add(member);
    return room.consumer.completion();
  }

  void leave(ChatMember member) {
    Room room = rooms.get(member.room);
    if (room != null && room.members.remove(member) && room.members.isEmpty()) {
      rooms.remove(member.room);
      room.consumer.unregister();
    }
  }

  void publish(ChatMember from, String text) {
    vertx
        .eventBus()
        .publish(
            Addresses.chatRoom(from.room),
            new JsonObject()
                .put("room", from.room)
                .put("from", from.login)
                .put("text", text)
                .put("at", Instant.now().toString()));
  }

  private void deliver(Room room, JsonObject message) {
    String text = message.encode();
    // Without a copy of the room per message (a profile of fan-out into 5,000 showed it): the
    // members that could not take the message leave after the loop.
    List<ChatMember> gone = new ArrayList<>();
    for (ChatMember member : room.members) {
      if (!member.deliver(text)) {
        gone.add(member);
      }
    }
    gone.forEach(this::leave);
  }

  /** Every member, wherever it is: for pings and for closing a session's sockets. */
  List<ChatMember> members() {
    return rooms.values().stream().flatMap(room -> room.members.stream()).toList();
  }

  /** How many rooms have a consumer here. */
  int consumers() {
    return rooms.size();
  }
}
