package com.example.starter.sessions;

import com.example.starter.bus.Addresses;
import com.example.starter.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.concurrent.TimeUnit;

/** Owns the {@code sessions} collection; http and ws nodes reach it over the bus. */
public class SessionsVerticle extends VerticleBase {

  static final String COLLECTION = "sessions";
  static final String EXPIRES_AT = "expiresAt";

  private MongoClient mongo;

  @Override
  public Future<?> start() {
    return Mongo.connect(vertx, config())
      .compose(client -> {
        mongo = client;
        // A real MongoDB expires documents itself; the embedded one accepts the index and ignores it.
        return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put(EXPIRES_AT, 1),
          new IndexOptions().name("expiry_ttl").expireAfter(0L, TimeUnit.SECONDS));
      })
      .compose(indexed -> Mongo.serveHealth(vertx, Addresses.SESSIONS_HEALTH, mongo).completion());
  }

  @Override
  public Future<?> stop() {
    return mongo.close();
  }
}
