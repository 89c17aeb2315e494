package com.example.starter.sessions;

import com.example.starter.TestConfig;
import com.example.starter.bus.Addresses;
import com.example.starter.config.ConfigKeys;
import com.example.starter.mongo.EmbeddedMongo;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sessions verticle on the bus, used through the session store the http and ws roles use. */
class SessionsVerticleTest {

  private static final long THIRTY_MINUTES = TimeUnit.MINUTES.toMillis(30);

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private JsonObject config;
  private MongoClient mongo;
  private BusSessionStore store;

  @BeforeEach
  void deploy() {
    vertx = Vertx.vertx();
    config = EmbeddedMongo.start(vertx, TestConfig.verticleConfig(vertx,
      TestConfig.overrides(dataDir).put(ConfigKeys.SESSION_SWEEP_SECONDS, 1), TestConfig.registryName()));
    vertx.deployVerticle(new SessionsVerticle(), new DeploymentOptions().setConfig(config)).await();
    mongo = MongoClient.create(vertx, new JsonObject()
      .put("connection_string", config.getString(ConfigKeys.MONGO_URL))
      .put("db_name", config.getString(ConfigKeys.MONGO_DB)));
    store = BusSessionStore.create(vertx, 2000);
  }

  @AfterEach
  void close() {
    vertx.close().await();
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
      .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
  }

  @Test
  void aDeletedSessionIsGoneAndItsEndIsPublished() throws Exception {
    Session session = stored("alice", THIRTY_MINUTES);
    Promise<String> ended = Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.SESSION_ENDED, message -> ended.tryComplete(message.body().getString("id")));

    store.delete(session.id()).await();

    assertThat(store.get(session.id()).await()).isNull();
    assertThat(ended.future().await(5, TimeUnit.SECONDS)).isEqualTo(session.id());
  }

  @Test
  void deletingAnIdThatWasNeverStoredPublishesNoEnd() throws Exception {
    List<String> ended = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.SESSION_ENDED, message -> ended.add(message.body().getString("id"))).completion().await();
    String neverStored = "ab".repeat(32);
    store.delete(neverStored).await();
    Session real = stored("alice", THIRTY_MINUTES);
    store.delete(real.id()).await();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (ended.isEmpty()) {
      assertThat(System.nanoTime()).as("the real end published within 5 s").isLessThan(deadline);
      Thread.sleep(20);
    }
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
      .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(409));
    assertThat(store.get(original.id()).await().<Integer>get("cart")).isEqualTo(1);
  }

  @Test
  void anExpiredSessionIsNotReadEvenBeforeItIsSwept() {
    Session expired = stored("alice", 0);
    assertThat(store.get(expired.id()).await()).isNull();
    assertThat(store.size().await()).isZero();
  }

  @Test
  void everyWriteSlidesTheExpiry() {
    Session session = stored("alice", THIRTY_MINUTES);
    Instant first = expiresAt(session.id());
    // The expiry has millisecond precision: let the clock move past the first write.
    long written = System.currentTimeMillis();
    while (System.currentTimeMillis() <= written + 1) {
      Thread.onSpinWait();
    }
    Session read = store.get(session.id()).await();
    read.put("seen", true);
    store.put(read).await();
    assertThat(expiresAt(session.id())).isAfter(first);
  }

  @Test
  void theBackgroundSweepDeletesExpiredSessions() throws Exception {
    Session expired = stored("alice", 0);
    Session live = stored("bob", THIRTY_MINUTES);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (mongo.count(Sessions.COLLECTION, new JsonObject().put("_id", expired.id())).await() > 0) {
      assertThat(System.nanoTime()).as("swept within 10 s").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(store.get(live.id()).await()).isNotNull();
  }

  @Test
  void answersHealthOnTheBus() {
    JsonObject reply = vertx.eventBus().<JsonObject>request(Addresses.SESSIONS_HEALTH, new JsonObject()).await().body();
    assertThat(reply.getString("status")).isEqualTo("UP");
  }

  @Test
  void sessionsCarryAnExpiryIndexForARealMongo() {
    assertThat(mongo.listIndexes(Sessions.COLLECTION).await().stream()
      .map(JsonObject.class::cast)
      .map(index -> index.getString("name")))
      .contains("expiry_ttl");
  }

  private Instant expiresAt(String id) {
    JsonObject document = mongo.findOne(Sessions.COLLECTION, new JsonObject().put("_id", id), null).await();
    return Instant.parse(document.getJsonObject(Sessions.EXPIRES_AT).getString("$date"));
  }
}
