package com.example.starter.accounts;

import static com.example.starter.accounts.Accounts.*;

import com.example.starter.bus.BusException;
import com.example.starter.bus.Deadline;
import com.example.starter.bus.Failures;
import com.example.starter.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.WriteOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** A new account: its login (case-insensitive, unique), its password's hash, its address if any. */
final class Registration {

  private final Accounts accounts;
  private final MailedLinks links;

  /** Registrations under way here, by login key (used on the verticle's event loop only). */
  private final Map<String, Future<JsonObject>> registering = new HashMap<>();

  Registration(Accounts accounts, MailedLinks links) {
    this.accounts = accounts;
    this.links = links;
  }

  /**
   * A taken login is answered from a lookup, before any hashing. Concurrent registrations of one
   * login here share one hash: the first goes ahead, the others hear how it went (taken, or they
   * try in turn if it failed). Between nodes the unique index decides. An address is claimed first
   * (its own unique key), and given back if the login is taken.
   */
  Future<JsonObject> register(JsonObject request, Deadline deadline) {
    Credentials credentials = Credentials.forRegistration(request);
    String key = credentials.loginKey();
    Future<JsonObject> first = registering.get(key);
    if (first != null) {
      return first.transform(
          done ->
              done.succeeded() || Failures.status(done.cause()) == Failures.CONFLICT
                  ? Future.failedFuture(taken(credentials))
                  : register(request, deadline));
    }
    Supplier<Future<?>> free =
        () ->
            accounts
                .mongo()
                .findOne(
                    COLLECTION,
                    new JsonObject().put(LOGIN_KEY, key),
                    new JsonObject().put("_id", 1))
                .compose(
                    existing ->
                        existing == null
                            ? Future.succeededFuture()
                            : Future.failedFuture(taken(credentials)));
    Future<JsonObject> registered = create(credentials, request, free, deadline);
    registering.put(key, registered);
    return registered.andThen(done -> registering.remove(key));
  }

  private static BusException taken(Credentials credentials) {
    return new BusException(Failures.CONFLICT, "login '" + credentials.login() + "' is taken");
  }

  /**
   * Takes a place at the hashing pool now (or is refused at once), then looks whether the login is
   * free ({@code free}) and hashes.
   */
  private Future<JsonObject> create(
      Credentials credentials, JsonObject request, Supplier<Future<?>> free, Deadline deadline) {
    String email =
        request.getValue(EMAIL) == null ? null : Email.normalised(request.getValue(EMAIL));
    JsonObject reply = new JsonObject().put(LOGIN, credentials.login());
    if (email != null) {
      reply.put(EMAIL, email).put(VERIFIED, false);
    }
    return accounts
        .hasher()
        .hashAfter(free, credentials.password(), deadline)
        .compose(
            hash -> {
              // Hashing took time: a caller who has stopped waiting hears 503, so no account may
              // appear.
              deadline.check();
              JsonObject account =
                  new JsonObject()
                      .put(LOGIN, credentials.login())
                      .put(LOGIN_KEY, credentials.loginKey())
                      .put(PASSWORD, hash)
                      .put("createdAt", Mongo.date(System.currentTimeMillis()));
              if (email != null) {
                account.put(EMAIL, email).put(VERIFIED, false);
              }
              // Journaled: a registration that was answered survives a crash of the database right
              // after.
              return accounts
                  .claim(email, credentials.login())
                  .compose(
                      claimed ->
                          accounts
                              .mongo()
                              .insertWithOptions(COLLECTION, account, WriteOption.JOURNALED)
                              .recover(
                                  failure ->
                                      accounts
                                          .release(email)
                                          .transform(
                                              released ->
                                                  Future.failedFuture(
                                                      Mongo.isDuplicateKey(failure)
                                                          ? taken(credentials)
                                                          : failure))));
            })
        .compose(
            inserted ->
                email == null
                    ? Future.succeededFuture()
                    : links.sendVerification(credentials.login(), email))
        .map(sent -> reply);
  }
}
