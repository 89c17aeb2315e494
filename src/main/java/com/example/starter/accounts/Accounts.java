package com.example.starter.accounts;

import com.example.starter.bus.BusClient;
import com.example.starter.bus.BusException;
import com.example.starter.bus.Deadline;
import com.example.starter.bus.Failures;
import com.example.starter.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.ext.mongo.WriteOption;
import java.util.Locale;

/**
 * The {@code accounts} collection and what an account's life stages share: its field names, its
 * indexes, the database and the services the stages call. The stages are {@link Registration},
 * {@link Login} (and what needs the password: changing it, deleting the account) and {@link
 * MailedLinks} (verification and password reset, by token). Hashing is slow on purpose: it runs on
 * the {@link PasswordHasher}'s workers; the database calls are asynchronous.
 */
record Accounts(
    MongoClient mongo,
    BusClient bus,
    Mailer mailer,
    Tokens tokens,
    PasswordHasher hasher,
    LoginThrottle throttle) {

  static final String COLLECTION = "accounts";

  /** The login folded to lower case: uniqueness is case-insensitive. */
  static final String LOGIN_KEY = "loginKey";

  static final String LOGIN = "login";

  /** The field vertx-auth-mongo reads by default. */
  static final String PASSWORD = "password";

  static final String EMAIL = "email";
  static final String VERIFIED = "verified";

  /** One address, one account: the address (normalised) is the key of its claim. */
  static final String EMAILS = "emails";

  /** Creates the indexes, once per process. */
  static Future<Accounts> create(
      MongoClient mongo,
      BusClient bus,
      Mailer mailer,
      PasswordHasher hasher,
      LoginThrottle throttle) {
    Tokens tokens = new Tokens(mongo);
    return mongo
        .createIndexWithOptions(
            COLLECTION,
            new JsonObject().put(LOGIN_KEY, 1),
            new IndexOptions().name("login_unique").unique(true))
        .compose(indexed -> throttle.createIndexes())
        .compose(indexed -> tokens.createIndexes())
        .map(indexed -> new Accounts(mongo, bus, mailer, tokens, hasher, throttle));
  }

  /** The filter of one account, by its login in any case. */
  static JsonObject byLogin(String login) {
    return new JsonObject().put(LOGIN_KEY, login.toLowerCase(Locale.ROOT));
  }

  Future<Void> claim(String email, String login) {
    if (email == null) {
      return Future.succeededFuture();
    }
    return mongo
        .insertWithOptions(
            EMAILS, new JsonObject().put("_id", email).put(LOGIN, login), WriteOption.JOURNALED)
        .<Void>mapEmpty()
        .recover(
            failure ->
                Future.failedFuture(
                    Mongo.isDuplicateKey(failure)
                        ? new BusException(
                            Failures.CONFLICT, "that email address belongs to another account")
                        : failure));
  }

  Future<Void> release(String email) {
    return email == null
        ? Future.succeededFuture()
        : mongo.removeDocument(EMAILS, new JsonObject().put("_id", email)).mapEmpty();
  }

  Future<Void> setPassword(String login, String password, Deadline deadline) {
    return hasher
        .hash(password, deadline)
        .compose(
            hash -> {
              deadline.check();
              return mongo.updateCollectionWithOptions(
                  COLLECTION,
                  byLogin(login),
                  new JsonObject().put("$set", new JsonObject().put(PASSWORD, hash)),
                  new UpdateOptions().setWriteOption(WriteOption.JOURNALED));
            })
        .mapEmpty();
  }

  Future<Void> sweep() {
    return Future.all(throttle.sweep(), tokens.sweep()).mapEmpty();
  }

  /** The caller's address as the http role saw it, which the throttle keys requests by. */
  static String client(JsonObject request) {
    return request.getValue("client") instanceof String address && !address.isEmpty()
        ? address
        : "unknown";
  }
}
