package com.example.starter.mongo;

import com.example.starter.bus.Failures;
import com.example.starter.bus.Services;
import com.example.starter.config.AppConfig;
import com.mongodb.MongoException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Opens the Mongo client a verticle owns, and answers health requests for it on the bus. */
public final class Mongo {

  private static final int DUPLICATE_KEY = 11000;

  private Mongo() {}

  /**
   * A client for {@code MONGO_URL}, checked with a ping so that an unreachable database fails the
   * start within {@code MONGO_TIMEOUT_MS} instead of on the first request.
   */
  public static Future<MongoClient> connect(Vertx vertx, AppConfig config) {
    return connect(vertx, config, false);
  }

  /**
   * With {@code journaled}, every write of this client waits for the database's journal (a real
   * MongoDB's durability).
   */
  public static Future<MongoClient> connect(Vertx vertx, AppConfig config, boolean journaled) {
    int timeout = config.mongoTimeoutMs();
    String url = config.mongoUrl();
    JsonObject options =
        new JsonObject()
            .put("connection_string", url)
            .put("db_name", config.mongoDb())
            .put("serverSelectionTimeoutMS", (long) timeout)
            .put("connectTimeoutMS", timeout)
            .put("socketTimeoutMS", timeout);
    if (journaled) {
      options.put("writeConcern", "JOURNALED");
    }
    // The driver loads and initialises much of itself on its first call, for seconds on a busy
    // machine: make that call on a worker, not on the verticle's event loop.
    return vertx
        .executeBlocking(
            () -> {
              MongoClient client =
                  TracedMongo.wrap(MongoClient.create(vertx, options), vertx, config.mongoDb());
              return ping(client)
                  .map(client)
                  .recover(
                      failure ->
                          client
                              .close()
                              .transform(
                                  closed ->
                                      Future.<MongoClient>failedFuture(
                                          "MongoDB at "
                                              + redact(url)
                                              + " did not answer within "
                                              + timeout
                                              + " ms: "
                                              + failure.getMessage())));
            })
        .compose(connected -> connected);
  }

  /** Replies {@code {"status":"UP"}} while the database answers a ping, else fails with 503. */
  /**
   * Serving a role that uses the database: a MongoDB failure is a 503, the database not answering.
   */
  public static Services services(Vertx vertx) {
    return Services.on(vertx, "the database", MongoException.class::isInstance);
  }

  public static MessageConsumer<JsonObject> serveHealth(
      Vertx vertx, String address, MongoClient client) {
    return vertx
        .eventBus()
        .consumer(
            address,
            message ->
                ping(client)
                    .onComplete(
                        up -> message.reply(new JsonObject().put("status", "UP")),
                        down ->
                            message.fail(Failures.UNAVAILABLE, "the database does not answer")));
  }

  /** A BSON date, as the Mongo client writes and reads it in JSON. */
  public static JsonObject date(long epochMillis) {
    return new JsonObject().put("$date", Instant.ofEpochMilli(epochMillis).toString());
  }

  public static long millis(JsonObject date) {
    return Instant.parse(date.getString("$date")).toEpochMilli();
  }

  /**
   * How many documents a bulk delete (a sweep, an account's sessions or tokens) removes per call.
   */
  public static final int BATCH = 500;

  /**
   * Deletes the documents whose date {@code field} is at or before {@code cutoff}, {@link #BATCH}
   * at a time: a find on the field's index, then a delete by {@code _id}, so that no call holds the
   * database for long and none reads the collection. Each batch's ids go to {@code deleted} once
   * gone; answers how many there were.
   */
  public static Future<Long> deleteExpired(
      MongoClient client,
      String collection,
      String field,
      long cutoff,
      Consumer<List<Object>> deleted) {
    JsonObject expired = new JsonObject().put(field, new JsonObject().put("$lte", date(cutoff)));
    return deleteMatching(client, collection, expired, id -> false, deleted);
  }

  /**
   * Deletes the documents {@code filter} finds (a filter an index answers), but those whose id
   * {@code spared} accepts, {@link #BATCH} at a time: each batch's ids found through the index,
   * then deleted by {@code _id}, then handed to {@code deleted}. Answers how many were deleted.
   */
  public static Future<Long> deleteMatching(
      MongoClient client,
      String collection,
      JsonObject filter,
      Predicate<Object> spared,
      Consumer<List<Object>> deleted) {
    FindOptions ids = new FindOptions().setFields(new JsonObject().put("_id", 1)).setLimit(BATCH);
    return client
        .findWithOptions(collection, filter, ids)
        .compose(
            found -> {
              List<Object> gone =
                  found.stream()
                      .map(document -> document.getValue("_id"))
                      .filter(spared.negate())
                      .toList();
              if (gone.isEmpty()) {
                return Future.succeededFuture(0L);
              }
              return client
                  .removeDocuments(
                      collection,
                      new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(gone))))
                  .compose(
                      removed -> {
                        deleted.accept(gone);
                        return found.size() < BATCH
                            ? Future.succeededFuture((long) gone.size())
                            : deleteMatching(client, collection, filter, spared, deleted)
                                .map(more -> more + gone.size());
                      });
            });
  }

  /** A write refused by a unique index: the way concurrent writers of one key learn who won. */
  public static boolean isDuplicateKey(Throwable failure) {
    return failure instanceof MongoException mongoFailure
        && mongoFailure.getCode() == DUPLICATE_KEY;
  }

  private static Future<JsonObject> ping(MongoClient client) {
    return client.runCommand("ping", new JsonObject().put("ping", 1));
  }

  /** Keeps credentials out of logs. */
  static String redact(String url) {
    return url.replaceFirst("//[^@/]*@", "//***@");
  }
}
