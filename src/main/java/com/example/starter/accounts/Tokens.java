package com.example.starter.accounts;

import com.example.starter.bus.BusException;
import com.example.starter.bus.Failures;
import com.example.starter.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.WriteOption;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Single-use tokens sent by mail (verification): 256 random bits, given out once and stored only as
 * their SHA-256, so that a copy of the database opens nothing. A token is used up by the request
 * that presents it; expired ones are swept.
 */
final class Tokens {

  static final String COLLECTION = "tokens";
  static final String EXPIRES_AT = "expiresAt";

  /** Kind and login in one indexed field: a login's tokens of one kind are one index lookup. */
  static final String OWNER = "owner";

  static final String VERIFY = "verify";
  static final String RESET = "reset";
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final MongoClient mongo;
  private final SecureRandom random = new SecureRandom();

  Tokens(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    return Future.all(
            mongo.createIndexWithOptions(
                COLLECTION,
                new JsonObject().put(EXPIRES_AT, 1),
                new IndexOptions().name("tokens_expiry")),
            mongo.createIndexWithOptions(
                COLLECTION,
                new JsonObject().put(OWNER, 1),
                new IndexOptions().name("tokens_owner")))
        .mapEmpty();
  }

  /** A new token of this kind for this login, valid for {@code lifetimeMillis}. */
  Future<String> issue(String login, String kind, long lifetimeMillis) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    JsonObject document =
        new JsonObject()
            .put("_id", hash(token))
            .put("login", login)
            .put("kind", kind)
            .put(OWNER, owner(kind, login))
            .put(EXPIRES_AT, Mongo.date(System.currentTimeMillis() + lifetimeMillis));
    return mongo.insertWithOptions(COLLECTION, document, WriteOption.JOURNALED).map(token);
  }

  /**
   * The login a token of this kind was issued for; the token is used up. 400 unknown or used, 410
   * expired.
   */
  Future<String> consume(Object token, String kind) {
    if (!(token instanceof String text) || !FORM.matcher(text).matches()) {
      return Future.failedFuture(
          new BusException(Failures.BAD_REQUEST, "token must be the 43 characters of a link"));
    }
    return mongo
        .findOneAndDelete(COLLECTION, new JsonObject().put("_id", hash(text)))
        .compose(
            found -> {
              if (found == null || !kind.equals(found.getString("kind"))) {
                return Future.failedFuture(
                    new BusException(
                        Failures.BAD_REQUEST, "the token is unknown or was used already"));
              }
              if (Mongo.millis(found.getJsonObject(EXPIRES_AT)) <= System.currentTimeMillis()) {
                return Future.failedFuture(
                    new BusException(Failures.GONE, "the token has expired"));
              }
              return Future.succeededFuture(found.getString("login"));
            });
  }

  /** Every outstanding token of this kind for this login is worthless from now on. */
  Future<Long> revoke(String login, String kind) {
    return Mongo.deleteMatching(
        mongo, COLLECTION, new JsonObject().put(OWNER, owner(kind, login)), id -> false, ids -> {});
  }

  private static String owner(String kind, String login) {
    return kind + ":" + login.toLowerCase(Locale.ROOT);
  }

  Future<Long> sweep() {
    return Mongo.deleteExpired(
        mongo, COLLECTION, EXPIRES_AT, System.currentTimeMillis(), ids -> {});
  }

  private static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
