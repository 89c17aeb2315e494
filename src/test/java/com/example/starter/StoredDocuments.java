package com.example.starter;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;

/** Changes made to stored documents behind the service's back, as time would make them. */
public final class StoredDocuments {

  private StoredDocuments() {}

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
