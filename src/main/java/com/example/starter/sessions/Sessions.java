package com.example.starter.sessions;

import com.example.starter.bus.BusException;
import com.example.starter.bus.Failures;
import com.example.starter.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Sessions in the {@code sessions} collection: the serialized vertx-web session (base64, as the bus
 * carries bytes in JSON), its version for
 * optimistic locking, and a sliding expiry. A real MongoDB deletes expired documents through the
 * TTL index; the embedded one does not, so reads skip them and {@link #sweep()} deletes them.
 */
final class Sessions {

  static final String COLLECTION = "sessions";
  static final String EXPIRES_AT = "expiresAt";
  static final String VERSION = "version";
  static final String DATA = "session";

  private final MongoClient mongo;

  Sessions(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put(EXPIRES_AT, 1),
      new IndexOptions().name("expiry_ttl").expireAfter(0L, TimeUnit.SECONDS));
  }

  Future<JsonObject> get(JsonObject request) {
    JsonObject live = new JsonObject().put("_id", id(request)).put(EXPIRES_AT, new JsonObject().put("$gt", date(Instant.now())));
    return mongo.findOne(COLLECTION, live, new JsonObject().put(DATA, 1))
      .map(found -> found == null ? new JsonObject() : new JsonObject().put(DATA, found.getString(DATA)));
  }

  /**
   * Writes only over the version the writer read. If someone else wrote meanwhile, the filter
   * misses, the upsert tries to insert the same id, and the unique {@code _id} refuses it.
   */
  Future<JsonObject> put(JsonObject request) {
    String id = id(request);
    int expected = request.getInteger("expectedVersion");
    Instant expiresAt = Instant.now().plusMillis(request.getLong("timeout"));
    JsonObject filter = new JsonObject().put("_id", id).put(VERSION, expected);
    JsonObject update = new JsonObject().put("$set", new JsonObject()
      .put(VERSION, request.getInteger(VERSION))
      .put(DATA, request.getString(DATA))
      .put(EXPIRES_AT, date(expiresAt)));
    return mongo.updateCollectionWithOptions(COLLECTION, filter, update, new UpdateOptions().setUpsert(true))
      .<JsonObject>map(written -> new JsonObject())
      .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure)
        ? new BusException(Failures.CONFLICT, "the session was changed by another request")
        : failure));
  }

  /** Answers whether there was a session to delete. */
  Future<JsonObject> delete(JsonObject request) {
    return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", id(request)))
      .map(removed -> new JsonObject().put("deleted", removed != null && removed.getRemovedCount() > 0));
  }

  Future<JsonObject> clear(JsonObject request) {
    return mongo.removeDocuments(COLLECTION, new JsonObject()).map(removed -> new JsonObject());
  }

  Future<JsonObject> size(JsonObject request) {
    return mongo.count(COLLECTION, new JsonObject().put(EXPIRES_AT, new JsonObject().put("$gt", date(Instant.now()))))
      .map(count -> new JsonObject().put("size", count));
  }

  /** Deletes expired sessions; answers how many. */
  Future<Long> sweep() {
    return mongo.removeDocuments(COLLECTION, new JsonObject().put(EXPIRES_AT, new JsonObject().put("$lte", date(Instant.now()))))
      .map(removed -> removed == null ? 0 : removed.getRemovedCount());
  }

  /** Ids come from cookies: only a string reaches a query, never an operator object. */
  private static String id(JsonObject request) {
    Object id = request.getValue("id");
    if (!(id instanceof String text) || text.isEmpty()) {
      throw new BusException(Failures.BAD_REQUEST, "id must be a string");
    }
    return text;
  }

  private static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", instant.toString());
  }
}
