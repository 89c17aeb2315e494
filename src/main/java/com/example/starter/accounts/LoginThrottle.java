package com.example.starter.accounts;

import com.example.starter.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.concurrent.TimeUnit;

/**
 * Counts failed logins per login in the database, so that every node sees the same count: at
 * {@code maxFailures} within the window, the login is refused until the oldest failure leaves it.
 * Unknown logins are counted too, or the 429 would tell which logins exist.
 */
final class LoginThrottle {

  static final String COLLECTION = "login_failures";
  /** Idle counters are deleted by {@link #sweep()}, this many at a time. */
  static final int SWEEP_BATCH = 500;
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

  /** The sweep finds idle counters through this index; a real MongoDB also drops them by itself (TTL). */
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
      .put("$set", new JsonObject().put(LAST, Mongo.date(now)));
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", loginKey), update,
      new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  Future<Void> clear(String loginKey) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", loginKey)).mapEmpty();
  }

  /** Deletes the counters of logins that failed last more than a window ago: they count for nothing. */
  Future<Long> sweep() {
    return Mongo.deleteExpired(mongo, COLLECTION, LAST, System.currentTimeMillis() - windowMillis, SWEEP_BATCH, ids -> { });
  }
}
