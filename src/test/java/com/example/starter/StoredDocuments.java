package com.example.starter;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.List;

/** Changes made to stored documents behind the service's back, as time would make them. */
public final class StoredDocuments {

  private StoredDocuments() {}

  /** The indexes of {@code collection}, as MongoDB's {@code listIndexes} describes them. */
  public static List<JsonObject> indexes(MongoClient database, String collection) {
    return database.listIndexes(collection).await().stream().map(JsonObject.class::cast).toList();
  }

  /** The documents of {@code collection} that {@code filter} matches expired a second ago. */
  public static void expireNow(MongoClient database, String collection, JsonObject filter) {
    database
        .updateCollection(
            collection,
            filter,
            new JsonObject()
                .put(
                    "$set",
                    new JsonObject()
                        .put(
                            "expiresAt",
                            new JsonObject()
                                .put("$date", Instant.now().minusSeconds(1).toString()))))
        .await();
  }
}
