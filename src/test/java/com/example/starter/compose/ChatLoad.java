package com.example.starter.compose;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Two people in one chat room through the balancer, each saying something every {@code period} ms.
 * A socket that closes is opened again, after 0.2 s doubling up to 2 s, as the demo page does. A
 * message is owed to the other person if their socket was open from {@link #SETTLE_MS} before it
 * was sent until {@link #DELIVERY_MS} after; an owed message that never arrived is lost.
 */
final class ChatLoad {

  /** Time for a new socket's room subscription to reach every node of the cluster. */
  static final long SETTLE_MS = 1000;

  static final long DELIVERY_MS = 2000;

  /** One socket's life: when it opened and closed (ms since the load began), on which replica. */
  record Epoch(long openedMs, long closedMs, int closeCode, String replica) {}

  record Sent(String text, long atMs) {}

  final class Person {
    final String name;
    final String cookie;
    final List<Epoch> epochs = new CopyOnWriteArrayList<>();
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final Set<String> heard = ConcurrentHashMap.newKeySet();
    WebSocket socket;
    String replica;
    long openedMs;
    int retry;

    Person(String name, String cookie) {
      this.name = name;
      this.cookie = cookie;
    }

    Future<WebSocket> open() {
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setHost("127.0.0.1")
              .setPort(port)
              .setURI("/ws/chat?room=" + room)
              .addHeader("Cookie", cookie)
              .addHeader("Origin", "http://localhost:" + port);
      return client
          .connect(options)
          .onSuccess(
              opened -> {
                socket = opened;
                replica = opened.headers().get("X-Served-By");
                openedMs = nowMs();
                retry = 0;
                opened.textMessageHandler(
                    text -> {
                      JsonObject message = new JsonObject(text);
                      if (!name.equals(message.getString("from"))) {
                        heard.add(message.getString("text"));
                      }
                    });
                opened.closeHandler(
                    closed -> {
                      if (stopped) {
                        return;
                      }
                      Short code = opened.closeStatusCode();
                      epochs.add(new Epoch(openedMs, nowMs(), code == null ? 1006 : code, replica));
                      socket = null;
                      reopenLater();
                    });
              })
          .onFailure(failed -> reopenLater());
    }

    private void reopenLater() {
      if (stopped) {
        return;
      }
      long delay = Math.min(2000, 200L << Math.min(retry++, 4));
      vertx.setTimer(delay, t -> open());
    }

    void say() {
      WebSocket open = socket;
      if (open == null || stopped) {
        return;
      }
      String text = name + "-" + sent.size();
      long at = nowMs();
      open.writeTextMessage(text).onSuccess(written -> sent.add(new Sent(text, at)));
    }

    /** Whether this person's socket was open through [from, to]. */
    boolean openThrough(long from, long to) {
      WebSocket open = socket;
      if (open != null && openedMs <= from) {
        return true;
      }
      return epochs.stream().anyMatch(e -> e.openedMs() <= from && e.closedMs() >= to);
    }
  }

  private final Vertx vertx;
  private final WebSocketClient client;
  private final int port;
  private final String room;
  private final long began = System.nanoTime();
  private final List<Person> people = new ArrayList<>();
  private volatile boolean stopped;
  private long timer;

  ChatLoad(Vertx vertx, int port, String room) {
    this.vertx = vertx;
    this.client = vertx.createWebSocketClient();
    this.port = port;
    this.room = room;
  }

  long nowMs() {
    return (System.nanoTime() - began) / 1_000_000;
  }

  Person join(String name, String cookie) {
    Person person = new Person(name, cookie);
    person.open().await();
    people.add(person);
    return person;
  }

  void talk(long periodMs) {
    timer = vertx.setPeriodic(periodMs, tick -> people.forEach(Person::say));
  }

  /**
   * Stops talking, waits (at most a few delivery times) until every owed message has arrived, and
   * closes the sockets. A message still missing then is left for {@link #lost()} to name.
   */
  void stop() {
    vertx.cancelTimer(timer);
    try {
      Awaitility.await("every owed chat message to arrive")
          .atMost(Duration.ofMillis(DELIVERY_MS * 3))
          .until(() -> lost().isEmpty());
    } catch (ConditionTimeoutException missing) {
      // The caller's assertion on lost() says which.
    }
    stopped = true;
    for (Person person : people) {
      WebSocket open = person.socket;
      if (open != null) {
        open.close().await();
      }
    }
    client.close().await();
  }

  /** The messages owed to someone that never reached them. */
  List<String> lost() {
    List<String> lost = new ArrayList<>();
    for (Person from : people) {
      for (Person to : people) {
        if (from == to) {
          continue;
        }
        for (Sent sent : from.sent) {
          boolean owed = to.openThrough(sent.atMs() - SETTLE_MS, sent.atMs() + DELIVERY_MS);
          if (owed && !to.heard.contains(sent.text())) {
            lost.add(sent.text() + "@" + sent.atMs() + "ms->" + to.name);
          }
        }
      }
    }
    return lost;
  }

  /** Close codes of the sockets that the server closed while the load ran. */
  List<Integer> closeCodes() {
    return people.stream().flatMap(p -> p.epochs.stream()).map(Epoch::closeCode).toList();
  }

  String describe() {
    long sent = people.stream().mapToLong(p -> p.sent.size()).sum();
    long heard = people.stream().mapToLong(p -> p.heard.size()).sum();
    return String.format(
        Locale.ROOT,
        "chat: %d messages sent, %d heard, %d lost; sockets closed by the server with %s and reopened",
        sent,
        heard,
        lost().size(),
        closeCodes());
  }
}
