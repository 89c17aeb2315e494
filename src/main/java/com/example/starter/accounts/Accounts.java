package com.example.starter.accounts;

import com.example.starter.bus.BusException;
import com.example.starter.bus.Failures;
import com.example.starter.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.hashing.HashingStrategy;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.WriteOption;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Registration and login against the {@code accounts} collection. Hashing is slow on purpose, so
 * the methods must run on a worker thread: the accounts verticle is a worker verticle.
 */
final class Accounts {

  static final String COLLECTION = "accounts";
  /** The login folded to lower case: uniqueness is case-insensitive. */
  static final String LOGIN_KEY = "loginKey";
  static final String LOGIN = "login";
  /** The field vertx-auth-mongo reads by default. */
  static final String PASSWORD = "password";
  private static final int SALT_BYTES = 16;

  private final MongoClient mongo;
  private final HashingStrategy hashing;
  private final Map<String, String> cost;
  private final LoginThrottle throttle;
  private final SecureRandom random = new SecureRandom();
  /** Checked against when the login is unknown, so that both failures take the same time. */
  private final String dummyHash;

  Accounts(MongoClient mongo, HashingStrategy hashing, Map<String, String> cost, LoginThrottle throttle) {
    this.mongo = mongo;
    this.hashing = hashing;
    this.cost = cost;
    this.throttle = throttle;
    this.dummyHash = hash("not a password of anyone's");
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put(LOGIN_KEY, 1),
        new IndexOptions().name("login_unique").unique(true))
      .compose(indexed -> throttle.createIndexes());
  }

  /** The unique index decides between concurrent registrations of one login, not a lookup first. */
  Future<JsonObject> register(JsonObject request) {
    Credentials credentials = Credentials.forRegistration(request);
    JsonObject account = new JsonObject()
      .put(LOGIN, credentials.login())
      .put(LOGIN_KEY, credentials.loginKey())
      .put(PASSWORD, hash(credentials.password()))
      .put("createdAt", new JsonObject().put("$date", Instant.now().toString()));
    // Journaled: a registration that was answered survives a crash of the database right after.
    return mongo.insertWithOptions(COLLECTION, account, WriteOption.JOURNALED)
      .map(id -> new JsonObject().put(LOGIN, credentials.login()))
      .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure)
        ? new BusException(Failures.CONFLICT, "login '" + credentials.login() + "' is taken")
        : failure));
  }

  /** The same 401 for an unknown login and a wrong password, after the same hashing work. */
  Future<JsonObject> authenticate(JsonObject request) {
    Credentials credentials = Credentials.forLogin(request);
    String key = credentials.loginKey();
    return throttle.blocked(key).compose(blocked -> {
      if (blocked) {
        return Future.failedFuture(new BusException(Failures.TOO_MANY_REQUESTS, "too many failed logins; try again later"));
      }
      return mongo.findOne(COLLECTION, new JsonObject().put(LOGIN_KEY, key), new JsonObject().put(LOGIN, 1).put(PASSWORD, 1));
    }).compose(account -> {
      boolean valid = hashing.verify(account == null ? dummyHash : account.getString(PASSWORD), credentials.password());
      if (valid && account != null) {
        return throttle.clear(key).map(cleared -> new JsonObject().put(LOGIN, account.getString(LOGIN)));
      }
      return throttle.recordFailure(key).compose(recorded ->
        Future.failedFuture(new BusException(Failures.UNAUTHORIZED, "login or password is wrong")));
    });
  }

  private String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return hashing.hash(Argon2id.ID, cost, Base64.getEncoder().withoutPadding().encodeToString(salt), password);
  }
}
