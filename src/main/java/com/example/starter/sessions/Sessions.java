package com.example.starter.sessions;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusException;
import com.example.starter.bus.Failures;
import com.example.starter.mongo.Mongo;
import com.example.starter.ops.SecurityEvents;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sessions in the {@code sessions} collection: the serialized vertx-web session (base64, as the bus
 * carries bytes in JSON), its version for optimistic locking, and a sliding expiry. Every end of a
 * session (delete, expiry) and every change of a stored one is published, so that other nodes drop
 * their copies and close what hangs on it.
 */
record Sessions(MongoClient mongo, EventBus bus, SecurityEvents events) {

  // A stored session's fields.
  static final String COLLECTION = "sessions";
  static final String EXPIRES_AT = "expiresAt";
  static final String VERSION = "version";
  static final String DATA = "session";

  /** The login a session is logged in as, so that an account's sessions can be found and ended. */
  static final String ACCOUNT = "account";

  /**
   * A real MongoDB's TTL index deletes silently, so it only backs up the sweep (which publishes
   * each end): it deletes what the sweep has missed for this long, say while no sessions node ran.
   */
  private static final long TTL_BACKSTOP_SECONDS = TimeUnit.HOURS.toSeconds(1);

  // Fields of the requests only: a write's version check, the timeout, the session an end spares.
  static final String EXPECTED_VERSION = "expectedVersion";
  static final String TIMEOUT = "timeout";
  static final String EXCEPT = "except";

  Future<Void> createIndexes() {
    return Future.all(
            mongo.createIndexWithOptions(
                COLLECTION,
                new JsonObject().put(EXPIRES_AT, 1),
                new IndexOptions()
                    .name("expiry_ttl")
                    .expireAfter(TTL_BACKSTOP_SECONDS, TimeUnit.SECONDS)),
            mongo.createIndexWithOptions(
                COLLECTION, new JsonObject().put(ACCOUNT, 1), new IndexOptions().name("account")))
        .mapEmpty();
  }

  /**
   * By {@code _id} alone, the one lookup every database answers from an index; expiry is checked
   * here.
   */
  Future<JsonObject> get(JsonObject request) {
    long now = System.currentTimeMillis();
    return mongo
        .findOne(
            COLLECTION,
            new JsonObject().put("_id", id(request)),
            new JsonObject().put(DATA, 1).put(VERSION, 1).put(EXPIRES_AT, 1))
        .map(
            found -> {
              if (found == null || millis(found) <= now) {
                return new JsonObject();
              }
              return new JsonObject()
                  .put(DATA, found.getString(DATA))
                  .put(VERSION, found.getInteger(VERSION))
                  .put(EXPIRES_AT, millis(found));
            });
  }

  /**
   * A new session is inserted: the unique {@code _id} refuses a second one. A stored one is written
   * only over the version the writer read, and only while it lives: a request that read a session
   * before it ended cannot bring it back.
   */
  Future<JsonObject> put(JsonObject request) {
    String id = id(request);
    long now = System.currentTimeMillis();
    long expiresAt = now + request.getLong(TIMEOUT);
    int version = request.getInteger(VERSION);
    JsonObject fields =
        new JsonObject()
            .put(VERSION, version)
            .put(DATA, request.getString(DATA))
            .put(EXPIRES_AT, Mongo.date(expiresAt));
    String account = request.getString(ACCOUNT);
    if (account != null) {
      fields.put(ACCOUNT, account);
    }
    JsonObject reply = new JsonObject().put(EXPIRES_AT, expiresAt);
    Integer expected = request.getInteger(EXPECTED_VERSION);
    if (expected == null) {
      return mongo
          .insert(COLLECTION, fields.put("_id", id))
          .map(reply)
          .recover(
              failure ->
                  Future.failedFuture(
                      Mongo.isDuplicateKey(failure)
                          ? new BusException(Failures.CONFLICT, "a session with this id exists")
                          : failure));
    }
    JsonObject filter =
        new JsonObject()
            .put("_id", id)
            .put(VERSION, expected)
            .put(EXPIRES_AT, new JsonObject().put("$gt", Mongo.date(now)));
    return mongo
        .updateCollection(COLLECTION, filter, new JsonObject().put("$set", fields))
        .compose(
            updated -> {
              if (updated.getDocMatched() == 0) {
                return Future.failedFuture(
                    new BusException(
                        Failures.CONFLICT,
                        "the session was changed by another request or has ended"));
              }
              bus.publish(
                  Addresses.SESSION_CHANGED, new JsonObject().put("id", id).put(VERSION, version));
              return Future.succeededFuture(reply);
            });
  }

  /**
   * Extends a live session's expiry: never shortens it (two nodes may touch it), never revives it.
   */
  Future<JsonObject> touch(JsonObject request) {
    long now = System.currentTimeMillis();
    JsonObject filter =
        new JsonObject()
            .put("_id", id(request))
            .put(EXPIRES_AT, new JsonObject().put("$gt", Mongo.date(now)));
    JsonObject update =
        new JsonObject()
            .put(
                "$max",
                new JsonObject().put(EXPIRES_AT, Mongo.date(now + request.getLong(TIMEOUT))));
    return mongo
        .findOneAndUpdateWithOptions(
            COLLECTION,
            filter,
            update,
            new FindOptions().setFields(new JsonObject().put(EXPIRES_AT, 1)),
            new UpdateOptions().setReturningNewDocument(true))
        .compose(
            touched ->
                touched == null
                    ? Future.failedFuture(
                        new BusException(Failures.NOT_FOUND, "the session has ended"))
                    : Future.succeededFuture(new JsonObject().put(EXPIRES_AT, millis(touched))));
  }

  /** Answers whether there was a session to delete; if there was, its end is published. */
  /**
   * The end of a logged-in session is a logout (or its replacement by a new login's session), a
   * security event: the deleted document tells whose it was.
   */
  Future<JsonObject> delete(JsonObject request) {
    String id = id(request);
    return mongo
        .findOneAndDeleteWithOptions(
            COLLECTION,
            new JsonObject().put("_id", id),
            new FindOptions().setFields(new JsonObject().put(ACCOUNT, 1)))
        .map(
            removed -> {
              boolean deleted = removed != null;
              if (deleted) {
                publishEnded(List.of(id));
                String account = removed.getString(ACCOUNT);
                if (account != null) {
                  events.done("logout", account);
                }
              }
              return new JsonObject().put("deleted", deleted);
            });
  }

  /**
   * Ends every session of an account but {@code except} (the caller's own, if it keeps it), through
   * the account index, publishing their ends so that every node drops them and closes their
   * sockets.
   */
  Future<JsonObject> endAccount(JsonObject request) {
    String account = string(request, ACCOUNT);
    Object except = request.getValue(EXCEPT);
    return Mongo.deleteMatching(
            mongo,
            COLLECTION,
            new JsonObject().put(ACCOUNT, account),
            id -> id.equals(except),
            ids -> publishEnded(ids.stream().map(String.class::cast).toList()))
        .map(
            ended -> {
              events.done("sessions end", account);
              return new JsonObject().put("ended", ended);
            });
  }

  Future<JsonObject> clear(JsonObject request) {
    return mongo.removeDocuments(COLLECTION, new JsonObject()).map(removed -> new JsonObject());
  }

  Future<JsonObject> size(JsonObject request) {
    return mongo
        .count(
            COLLECTION,
            new JsonObject()
                .put(
                    EXPIRES_AT,
                    new JsonObject().put("$gt", Mongo.date(System.currentTimeMillis()))))
        .map(count -> new JsonObject().put("size", count));
  }

  /** Deletes expired sessions a batch at a time, publishing each batch's end; answers how many. */
  Future<Long> sweep() {
    return Mongo.deleteExpired(
        mongo,
        COLLECTION,
        EXPIRES_AT,
        System.currentTimeMillis(),
        ids -> publishEnded(ids.stream().map(String.class::cast).toList()));
  }

  private void publishEnded(List<String> ids) {
    bus.publish(Addresses.SESSION_ENDED, new JsonObject().put("ids", new JsonArray(ids)));
  }

  /** Ids come from cookies: only a string reaches a query, never an operator object. */
  private static String id(JsonObject request) {
    return string(request, "id");
  }

  private static String string(JsonObject request, String key) {
    Object value = request.getValue(key);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new BusException(Failures.BAD_REQUEST, key + " must be a string");
    }
    return text;
  }

  private static long millis(JsonObject document) {
    return Mongo.millis(document.getJsonObject(EXPIRES_AT));
  }
}
