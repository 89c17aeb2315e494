package com.example.starter.mongo;

import com.example.starter.bus.Failures;
import com.example.starter.config.ConfigKeys;
import com.mongodb.MongoException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/** Opens the Mongo client a verticle owns, and answers health requests for it on the bus. */
public final class Mongo {

  private static final int DUPLICATE_KEY = 11000;

  private Mongo() {
  }

  /**
   * A client for {@code MONGO_URL}, checked with a ping so that an unreachable database fails the
   * start within {@code MONGO_TIMEOUT_MS} instead of on the first request.
   */
  public static Future<MongoClient> connect(Vertx vertx, JsonObject config) {
    int timeout = config.getInteger(ConfigKeys.MONGO_TIMEOUT_MS);
    String url = config.getString(ConfigKeys.MONGO_URL);
    JsonObject options = new JsonObject()
      .put("connection_string", url)
      .put("db_name", config.getString(ConfigKeys.MONGO_DB))
      .put("serverSelectionTimeoutMS", (long) timeout)
      .put("connectTimeoutMS", timeout)
      .put("socketTimeoutMS", timeout);
    // The driver loads and initialises much of itself on its first call, for seconds on a busy
    // machine: make that call on a worker, not on the verticle's event loop.
    return vertx.executeBlocking(() -> {
      MongoClient client = MongoClient.create(vertx, options);
      return ping(client)
        .map(client)
        .recover(failure -> client.close().transform(closed -> Future.<MongoClient>failedFuture(
          "MongoDB at " + redact(url) + " did not answer within " + timeout + " ms: " + failure.getMessage())));
    }).compose(connected -> connected);
  }

  /** Replies {@code {"status":"UP"}} while the database answers a ping, else fails with 503. */
  public static MessageConsumer<JsonObject> serveHealth(Vertx vertx, String address, MongoClient client) {
    return vertx.eventBus().consumer(address, message -> ping(client).onComplete(
      up -> message.reply(new JsonObject().put("status", "UP")),
      down -> message.fail(Failures.UNAVAILABLE, "the database does not answer")));
  }

  /** A write refused by a unique index: the way concurrent writers of one key learn who won. */
  public static boolean isDuplicateKey(Throwable failure) {
    return failure instanceof MongoException mongoFailure && mongoFailure.getCode() == DUPLICATE_KEY;
  }

  private static Future<JsonObject> ping(MongoClient client) {
    return client.runCommand("ping", new JsonObject().put("ping", 1));
  }

  /** Keeps credentials out of logs. */
  static String redact(String url) {
    return url.replaceFirst("//[^@/]*@", "//***@");
  }
}
