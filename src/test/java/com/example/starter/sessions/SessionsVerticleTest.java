package com.example.starter.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.starter.LogCapture;
import com.example.starter.StoredDocuments;
import com.example.starter.TestConfig;
import com.example.starter.bus.Addresses;
import com.example.starter.config.AppConfig;
import com.example.starter.config.Setting;
import com.example.starter.mongo.EmbeddedMongo;
import com.example.starter.mongo.Mongo;
import com.example.starter.ops.RequestIds;
import com.example.starter.ops.SecurityEvents;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Session;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The sessions verticle on the bus, used through the session store the http and ws roles use. */
@ExtendWith(VertxExtension.class)
class SessionsVerticleTest {

  private static final long THIRTY_MINUTES = TimeUnit.MINUTES.toMillis(30);

  @TempDir Path dataDir;

  private Vertx vertx;
  private AppConfig config;
  private MongoClient mongo;
  private BusSessionStore store;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    config =
        EmbeddedMongo.start(
            vertx,
            TestConfig.verticleConfig(
                vertx,
                TestConfig.overrides(dataDir).put(Setting.SESSION_SWEEP_SECONDS.name(), 1),
                TestConfig.registryName()));
    vertx
        .deployVerticle(new SessionsVerticle(), new DeploymentOptions().setConfig(config.json()))
        .await();
    mongo = TestConfig.database(vertx, config);
    store = store(config);
  }

  /** The ids of the sessions whose end is published from now on, as they arrive. */
  private List<Object> endsPublished() {
    List<Object> ended = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.SESSION_ENDED,
            message -> ended.addAll(message.body().getJsonArray("ids").getList()))
        .completion()
        .await();
    return ended;
  }

  /** A store of another http or ws verticle, here or on another node, with these settings. */
  /** A store past whose touch threshold every read is: each read extends the expiry. */
  private BusSessionStore touchingOnEveryRead() {
    return store(
        AppConfig.of(config.json().copy().put(Setting.SESSION_TOUCH_AFTER_SECONDS.name(), 0)));
  }

  private BusSessionStore store(AppConfig settings) {
    BusSessionStore created = BusSessionStore.create(vertx, settings);
    created.listening().await();
    return created;
  }

  /** Counts the requests this process sends to an address: what a store costs the sessions role. */
  private AtomicInteger requestsTo(String address) {
    AtomicInteger count = new AtomicInteger();
    onRequestsTo(
        address,
        send -> {
          count.incrementAndGet();
          send.run();
        });
    return count;
  }

  /**
   * Hands each request this process sends to {@code address} to {@code each}, with what sends it
   * on; other messages go their way.
   */
  private void onRequestsTo(String address, Consumer<Runnable> each) {
    vertx
        .eventBus()
        .addOutboundInterceptor(
            delivery -> {
              if (delivery.message().address().equals(address)
                  && delivery.message().replyAddress() != null) {
                each.accept(delivery::next);
              } else {
                delivery.next();
              }
            });
  }

  private Session stored(String login, long timeout) {
    Session session = store.createSession(timeout, 32);
    session.put(BusSessionStore.LOGIN, login);
    store.put(session).await();
    return session;
  }

  @Test
  void aStoredSessionComesBackWithItsData() {
    Session session = stored("alice", THIRTY_MINUTES);
    Session read = store.get(session.id()).await();
    assertThat(read.id()).isEqualTo(session.id()).hasSize(64);
    assertThat(read.<String>get(BusSessionStore.LOGIN)).isEqualTo("alice");
    assertThat(store.size().await()).isEqualTo(1);
  }

  @Test
  void anUnknownOrMalformedIdIsNoSession() {
    assertThat(store.get("0".repeat(64)).await()).isNull();
    assertThat(store.get("{\"$ne\":null}").await()).isNull();
  }

  @Test
  void anOperatorAsAnIdIsRefusedByTheVerticleItself() {
    JsonObject operator = new JsonObject().put("id", new JsonObject().put("$ne", null));
    assertThatThrownBy(() -> vertx.eventBus().request(Addresses.SESSIONS_GET, operator).await())
        .isInstanceOfSatisfying(
            ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
  }

  @Test
  void aDeletedSessionIsGoneAndItsEndIsPublished() throws Exception {
    Session session = stored("alice", THIRTY_MINUTES);
    Promise<String> ended = Promise.promise();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.SESSION_ENDED,
            message -> ended.tryComplete(message.body().getJsonArray("ids").getString(0)));

    store.delete(session.id()).await();

    assertThat(store.get(session.id()).await()).isNull();
    assertThat(ended.future().await(5, TimeUnit.SECONDS)).isEqualTo(session.id());
  }

  @Test
  void theEndOfALoggedInSessionIsALogoutEventWithTheRequestIdAndNoSessionId() {
    RequestIds.install(vertx);
    Session alices = stored("alice", THIRTY_MINUTES);
    Session anonymous = store.createSession(THIRTY_MINUTES, 32);
    store.put(anonymous).await();
    try (LogCapture events = LogCapture.ofEverything(SecurityEvents.class)) {
      DeliveryOptions traced = new DeliveryOptions().addHeader(RequestIds.HEADER, "logout-1");
      vertx
          .eventBus()
          .request(Addresses.SESSIONS_DELETE, new JsonObject().put("id", alices.id()), traced)
          .await();
      store.delete(anonymous.id()).await();

      assertThat(events.messagesWithMdc(RequestIds.MDC_KEY))
          .containsExactly("logout: done, login alice, client - [logout-1]");
      assertThat(events.messages()).noneMatch(line -> line.contains(alices.id()));
    }
  }

  @Test
  void endingAnAccountEndsItsSessionsButTheOneSparedAndPublishesTheirEnds() throws Exception {
    Session first = stored("alice", THIRTY_MINUTES);
    Session second = stored("alice", THIRTY_MINUTES);
    Session kept = stored("alice", THIRTY_MINUTES);
    Session bobs = stored("bob", THIRTY_MINUTES);
    List<Object> ended = endsPublished();

    JsonObject reply =
        vertx
            .eventBus()
            .<JsonObject>request(
                Addresses.SESSIONS_END_ACCOUNT,
                new JsonObject().put("account", "alice").put("except", kept.id()))
            .await()
            .body();

    assertThat(reply.getLong("ended")).isEqualTo(2);
    await("both ends published").atMost(Duration.ofSeconds(5)).until(() -> ended.size() == 2);
    assertThat(ended).containsExactlyInAnyOrder(first.id(), second.id());
    BusSessionStore fresh = store(config);
    assertThat(fresh.get(first.id()).await()).isNull();
    assertThat(fresh.get(second.id()).await()).isNull();
    assertThat(fresh.get(kept.id()).await()).isNotNull();
    assertThat(fresh.get(bobs.id()).await()).isNotNull();
  }

  @Test
  void anOperatorAsAnAccountIsRefused() {
    JsonObject operator = new JsonObject().put("account", new JsonObject().put("$ne", null));
    assertThatThrownBy(
            () -> vertx.eventBus().request(Addresses.SESSIONS_END_ACCOUNT, operator).await())
        .isInstanceOf(ReplyException.class)
        .hasMessageContaining("account must be a string");
  }

  @Test
  void deletingAnIdThatWasNeverStoredPublishesNoEnd() {
    List<Object> ended = endsPublished();
    String neverStored = "ab".repeat(32);
    store.delete(neverStored).await();
    Session real = stored("alice", THIRTY_MINUTES);
    store.delete(real.id()).await();
    await("the real end published").atMost(Duration.ofSeconds(5)).until(() -> !ended.isEmpty());
    // Publications arrive in order: had the first delete published, it would be here first.
    assertThat(ended).containsExactly(real.id());
  }

  @Test
  void aWriteOverAVersionSomeoneElseWroteMeanwhileIsRefused() {
    Session original = stored("alice", THIRTY_MINUTES);
    Session first = store.get(original.id()).await();
    Session second = store.get(original.id()).await();
    first.put("cart", 1);
    store.put(first).await();

    second.put("cart", 2);
    assertThatThrownBy(() -> store.put(second).await())
        .isInstanceOfSatisfying(
            ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(409));
    assertThat(store.get(original.id()).await().<Integer>get("cart")).isEqualTo(1);
  }

  @Test
  void anExpiredSessionIsNotReadEvenBeforeItIsSwept() {
    Session expired = stored("alice", 0);
    assertThat(store.get(expired.id()).await()).isNull();
    assertThat(store.size().await()).isZero();
  }

  @Test
  void aChangeSlidesTheExpiry() {
    Session session = stored("alice", THIRTY_MINUTES);
    Instant first = expiresAt(session.id());
    aFewMillisecondsPass();
    Session read = store.get(session.id()).await();
    read.put("seen", true);
    store.put(read).await();
    assertThat(expiresAt(session.id())).isAfter(first);
  }

  @Test
  void aRequestThatChangesNothingWritesNothingWithinTheTouchThreshold() {
    Session session = stored("alice", THIRTY_MINUTES);
    Instant first = expiresAt(session.id());
    AtomicInteger writes = requestsTo(Addresses.SESSIONS_PUT);
    AtomicInteger touches = requestsTo(Addresses.SESSIONS_TOUCH);
    aFewMillisecondsPass();
    for (int i = 0; i < 20; i++) {
      Session read = store.get(session.id()).await();
      store.put(read).await();
    }
    assertThat(writes.get() + touches.get()).isZero();
    assertThat(expiresAt(session.id())).isEqualTo(first);
  }

  @Test
  void pastTheTouchThresholdAReadExtendsTheExpiryWithoutRewritingTheSession() {
    BusSessionStore touchingAlways = touchingOnEveryRead();
    Session session = stored("alice", THIRTY_MINUTES);
    Instant first = expiresAt(session.id());
    JsonObject before =
        mongo.findOne(Sessions.COLLECTION, new JsonObject().put("_id", session.id()), null).await();
    AtomicInteger touches = requestsTo(Addresses.SESSIONS_TOUCH);
    aFewMillisecondsPass();

    touchingAlways.put(touchingAlways.get(session.id()).await()).await();

    assertThat(touches.get()).isEqualTo(1);
    assertThat(expiresAt(session.id())).isAfter(first);
    JsonObject after =
        mongo.findOne(Sessions.COLLECTION, new JsonObject().put("_id", session.id()), null).await();
    assertThat(after.getString(Sessions.DATA)).isEqualTo(before.getString(Sessions.DATA));
    assertThat(after.getInteger(Sessions.VERSION)).isEqualTo(before.getInteger(Sessions.VERSION));
  }

  @Test
  void aCachedSessionIsReadWithoutABusRequest() {
    Session session = stored("alice", THIRTY_MINUTES);
    AtomicInteger reads = requestsTo(Addresses.SESSIONS_GET);
    for (int i = 0; i < 10; i++) {
      assertThat(store.get(session.id()).await().<String>get(BusSessionStore.LOGIN))
          .isEqualTo("alice");
    }
    assertThat(reads.get()).isZero();
    BusSessionStore otherNode = store(config);
    otherNode.get(session.id()).await();
    otherNode.get(session.id()).await();
    assertThat(reads.get()).isEqualTo(1);
  }

  @Test
  void concurrentReadsOfAnUncachedSessionShareOneRequest() {
    Session session = stored("alice", THIRTY_MINUTES);
    BusSessionStore otherNode = store(config);
    HeldRequests held = hold(Addresses.SESSIONS_GET);
    List<Future<Session>> reads =
        IntStream.range(0, 20).mapToObj(i -> otherNode.get(session.id())).toList();
    held.release();
    Future.all(reads).await();
    assertThat(reads)
        .allSatisfy(
            read ->
                assertThat(read.result().<String>get(BusSessionStore.LOGIN)).isEqualTo("alice"));
    assertThat(held.count()).isEqualTo(1);
  }

  @Test
  void concurrentRequestsPastTheTouchThresholdShareOneTouch() {
    BusSessionStore touchingAlways = touchingOnEveryRead();
    Session session = stored("alice", THIRTY_MINUTES);
    touchingAlways.get(session.id()).await();
    HeldRequests held = hold(Addresses.SESSIONS_TOUCH);
    List<Future<Void>> writes =
        IntStream.range(0, 20)
            .mapToObj(i -> touchingAlways.put(touchingAlways.get(session.id()).await()))
            .toList();
    held.release();
    Future.all(writes).await();
    assertThat(held.count()).isEqualTo(1);
  }

  /** Requests to an address, held back until released: what is on its way at one moment. */
  private HeldRequests hold(String address) {
    HeldRequests held = new HeldRequests();
    onRequestsTo(address, held::add);
    return held;
  }

  private static final class HeldRequests {
    private final List<Runnable> waiting = new ArrayList<>();
    private int count;
    private boolean released;

    synchronized void add(Runnable send) {
      count++;
      if (released) {
        send.run();
      } else {
        waiting.add(send);
      }
    }

    synchronized void release() {
      released = true;
      waiting.forEach(Runnable::run);
    }

    synchronized int count() {
      return count;
    }
  }

  @Test
  void aSessionDeletedThroughOneStoreIsGoneFromEveryOthersCacheAtOnce() {
    Session session = stored("alice", THIRTY_MINUTES);
    BusSessionStore otherNode = store(config);
    assertThat(otherNode.get(session.id()).await()).isNotNull();

    store.delete(session.id()).await();

    await("the other store forgets the session")
        .atMost(Duration.ofMillis(500))
        .until(() -> otherNode.get(session.id()).await() == null);
  }

  @Test
  void aChangeThroughOneStoreReachesAnotherStoresCache() {
    Session session = stored("alice", THIRTY_MINUTES);
    BusSessionStore otherNode = store(config);
    assertThat(otherNode.get(session.id()).await().<Integer>get("cart")).isNull();

    Session read = store.get(session.id()).await();
    read.put("cart", 3);
    store.put(read).await();

    await("the other store sees the change")
        .atMost(Duration.ofMillis(500))
        .until(() -> Integer.valueOf(3).equals(otherNode.get(session.id()).await().get("cart")));
  }

  @Test
  void aSessionReadBeforeItWasDeletedCannotBeBroughtBack() {
    BusSessionStore touchingAlways = touchingOnEveryRead();
    Session session = stored("alice", THIRTY_MINUTES);
    Session readForATouch = touchingAlways.get(session.id()).await();
    Session readForAChange = store.get(session.id()).await();

    store(config).delete(session.id()).await();
    touchingAlways.put(readForATouch).await();
    readForAChange.put("cart", 1);
    assertThatThrownBy(() -> store.put(readForAChange).await())
        .isInstanceOfSatisfying(
            ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(409));

    assertThat(mongo.count(Sessions.COLLECTION, new JsonObject()).await()).isZero();
    await("both stores forget it")
        .atMost(Duration.ofMillis(500))
        .until(
            () ->
                store.get(session.id()).await() == null
                    && touchingAlways.get(session.id()).await() == null);
  }

  @Test
  void theBackgroundSweepDeletesExpiredSessionsAndPublishesTheirEnd() {
    List<Object> ended = endsPublished();
    Session expired = stored("alice", 0);
    Session live = stored("bob", THIRTY_MINUTES);
    await("swept")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                mongo.count(Sessions.COLLECTION, new JsonObject().put("_id", expired.id())).await()
                    == 0);
    await("its end published")
        .atMost(Duration.ofSeconds(5))
        .until(() -> ended.contains(expired.id()));
    assertThat(ended).doesNotContain(live.id());
    assertThat(store.get(live.id()).await()).isNotNull();
  }

  @Test
  void theSweepWorksThroughMoreThanOneBatch() {
    int count = Mongo.BATCH * 2 + 1;
    List<JsonObject> expired = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expired.add(
          new JsonObject()
              .put("_id", "expired-" + i)
              .put(Sessions.VERSION, 1)
              .put(Sessions.DATA, "")
              .put(
                  Sessions.EXPIRES_AT,
                  new JsonObject().put("$date", Instant.now().minusSeconds(1).toString())));
    }
    mongo
        .bulkWrite(Sessions.COLLECTION, expired.stream().map(BulkOperation::createInsert).toList())
        .await();
    await("all swept")
        .atMost(Duration.ofSeconds(20))
        .until(() -> mongo.count(Sessions.COLLECTION, new JsonObject()).await() == 0);
  }

  @Test
  void sessionsCarryAnExpiryIndexForARealMongo() {
    assertThat(
            StoredDocuments.indexes(mongo, Sessions.COLLECTION).stream()
                .map(index -> index.getString("name")))
        .contains("expiry_ttl");
  }

  /**
   * The expiry has millisecond precision: a write in the same millisecond as the last would not
   * move it.
   */
  private static void aFewMillisecondsPass() {
    Instant start = Instant.now();
    await()
        .pollInterval(Duration.ofMillis(1))
        .until(() -> Instant.now().isAfter(start.plusMillis(1)));
  }

  private Instant expiresAt(String id) {
    JsonObject document =
        mongo.findOne(Sessions.COLLECTION, new JsonObject().put("_id", id), null).await();
    return Instant.parse(document.getJsonObject(Sessions.EXPIRES_AT).getString("$date"));
  }
}
