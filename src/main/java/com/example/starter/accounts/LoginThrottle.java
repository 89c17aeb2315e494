package com.example.starter.accounts;

import com.example.starter.bus.Failures;
import com.example.starter.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Counts failed logins in the database, so that every node sees the same counts, under two keys:
 *
 * <ul>
 *   <li>a login from one client address: {@code maxPerLogin} failures within the window block that
 *       pair, so guessing one account's password is slow, while its owner, from anywhere else,
 *       still logs in: no one can lock an account out;
 *   <li>a client address, whatever the login: {@code maxPerClient} failures block the address, so
 *       trying one password on many logins (spraying) is slow too.
 * </ul>
 *
 * Blocks back off: a key blocked for the n-th time stays blocked {@code window * 2^(n-1)} after its
 * last failure, at most {@code maxBlock}. Unknown logins are counted like known ones, or a 429
 * would tell which logins exist. A counter idle for {@code maxBlock} counts for nothing: the sweep
 * deletes it.
 */
final class LoginThrottle {

  static final String COLLECTION = "login_failures";
  private static final String FAILURES = "failures";
  private static final String TOTAL = "total";
  private static final String LAST = "lastFailureAt";

  /**
   * Client addresses are bounded in length: a key is never larger than a login and an IPv6 address.
   */
  private static final int CLIENT_MAX = 64;

  private final MongoClient mongo;
  private final int maxPerLogin;
  private final int maxPerClient;
  private final long windowMillis;
  private final long maxBlockMillis;

  LoginThrottle(
      MongoClient mongo,
      int maxPerLogin,
      int maxPerClient,
      int windowSeconds,
      int maxBlockSeconds) {
    this.mongo = mongo;
    this.maxPerLogin = maxPerLogin;
    this.maxPerClient = maxPerClient;
    this.windowMillis = TimeUnit.SECONDS.toMillis(windowSeconds);
    this.maxBlockMillis = TimeUnit.SECONDS.toMillis(maxBlockSeconds);
  }

  /**
   * The sweep finds idle counters through this index; a real MongoDB also drops them by itself
   * (TTL).
   */
  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(
        COLLECTION,
        new JsonObject().put(LAST, 1),
        new IndexOptions()
            .name("failures_ttl")
            .expireAfter(maxBlockMillis / 1000, TimeUnit.SECONDS));
  }

  /** How long this login from this client must wait, in milliseconds; 0 when it may try. */
  Future<Long> waitFor(String loginKey, String client) {
    String pair = pairKey(loginKey, client);
    String address = clientKey(client);
    JsonObject both =
        new JsonObject()
            .put("_id", new JsonObject().put("$in", new JsonArray().add(pair).add(address)));
    return mongo
        .find(COLLECTION, both)
        .map(
            counters -> {
              long now = System.currentTimeMillis();
              long wait = 0;
              for (JsonObject counter : counters) {
                int max = counter.getString("_id").equals(pair) ? maxPerLogin : maxPerClient;
                wait = Math.max(wait, blockedFor(counter, max, now));
              }
              return wait;
            });
  }

  private long blockedFor(JsonObject counter, int max, long now) {
    List<Object> failures = counter.getJsonArray(FAILURES, new JsonArray()).getList();
    int level = counter.getInteger(TOTAL, 0) / max;
    if (level == 0 || failures.size() < max) {
      return 0;
    }
    long block = Math.min(windowMillis << Math.min(level - 1, 30), maxBlockMillis);
    long last = ((Number) failures.get(failures.size() - 1)).longValue();
    long oldest = ((Number) failures.get(0)).longValue();
    // The last max failures came within the block: the key is blocked until a block after the last.
    return last - oldest <= block ? Math.max(0, last + block - now) : 0;
  }

  /**
   * A request limited like a failed login (a mail asked for): counted as one, or refused (429,
   * saying {@code what}) while its key or client is blocked.
   */
  Future<Void> countOrRefuse(String key, String client, String what) {
    return waitFor(key, client)
        .compose(
            wait ->
                wait > 0
                    ? Future.failedFuture(Failures.tooManyRequests(what, wait))
                    : recordFailure(key, client));
  }

  /**
   * Counts a failure under both keys, each keeping only its latest times, in one atomic update
   * each.
   */
  Future<Void> recordFailure(String loginKey, String client) {
    long now = System.currentTimeMillis();
    return Future.all(
            record(pairKey(loginKey, client), maxPerLogin, now),
            record(clientKey(client), maxPerClient, now))
        .mapEmpty();
  }

  private Future<Void> record(String key, int keep, long now) {
    JsonObject update =
        new JsonObject()
            .put(
                "$push",
                new JsonObject()
                    .put(
                        FAILURES,
                        new JsonObject()
                            .put("$each", new JsonArray().add(now))
                            .put("$slice", -keep)))
            .put("$inc", new JsonObject().put(TOTAL, 1))
            .put("$set", new JsonObject().put(LAST, Mongo.date(now)));
    return mongo
        .updateCollectionWithOptions(
            COLLECTION,
            new JsonObject().put("_id", key),
            update,
            new UpdateOptions().setUpsert(true))
        .mapEmpty();
  }

  /** A success clears this login's count from this client; the client's own count stays. */
  Future<Void> clear(String loginKey, String client) {
    return mongo
        .removeDocument(COLLECTION, new JsonObject().put("_id", pairKey(loginKey, client)))
        .mapEmpty();
  }

  /** Deletes the counters idle for the longest block: they count for nothing any more. */
  Future<Long> sweep() {
    return Mongo.deleteExpired(
        mongo, COLLECTION, LAST, System.currentTimeMillis() - maxBlockMillis, ids -> {});
  }

  private static String pairKey(String loginKey, String client) {
    return "login:" + loginKey + "|" + bounded(client);
  }

  private static String clientKey(String client) {
    return "client:" + bounded(client);
  }

  private static String bounded(String client) {
    return client.length() > CLIENT_MAX ? client.substring(0, CLIENT_MAX) : client;
  }
}
