package com.example.starter.accounts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Counts failed logins per login in the database, so that every node sees the same count: at
 * {@code maxFailures} within the window, the login is refused until the oldest failure leaves it.
 * Unknown logins are counted too, or the 429 would tell which logins exist.
 */
final class LoginThrottle {

  static final String COLLECTION = "login_failures";
  private static final String FAILURES = "failures";
  private static final String LAST = "lastFailureAt";

  private final MongoClient mongo;
  private final int maxFailures;
  private final long windowMillis;

  LoginThrottle(MongoClient mongo, int maxFailures, int windowSeconds) {
    this.mongo = mongo;
    this.maxFailures = maxFailures;
    this.windowMillis = TimeUnit.SECONDS.toMillis(windowSeconds);
  }

  /** A real MongoDB drops idle counters by itself; the embedded one keeps them, one small document per login. */
  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put(LAST, 1),
      new IndexOptions().name("failures_ttl").expireAfter(windowMillis / 1000, TimeUnit.SECONDS));
  }

  Future<Boolean> blocked(String loginKey) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", loginKey), null).map(counter -> {
      if (counter == null) {
        return false;
      }
      long since = System.currentTimeMillis() - windowMillis;
      long recent = counter.getJsonArray(FAILURES, new JsonArray()).stream()
        .filter(at -> at instanceof Number n && n.longValue() > since)
        .count();
      return recent >= maxFailures;
    });
  }

  /** Keeps only the latest {@code maxFailures} times, in one atomic update. */
  Future<Void> recordFailure(String loginKey) {
    long now = System.currentTimeMillis();
    JsonObject update = new JsonObject()
      .put("$push", new JsonObject().put(FAILURES, new JsonObject()
        .put("$each", new JsonArray().add(now))
        .put("$slice", -maxFailures)))
      .put("$set", new JsonObject().put(LAST, new JsonObject().put("$date", Instant.ofEpochMilli(now).toString())));
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", loginKey), update,
      new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  Future<Void> clear(String loginKey) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", loginKey)).mapEmpty();
  }
}
