package com.example.starter.accounts;

import com.example.starter.bus.Addresses;
import com.example.starter.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

/** Owns the {@code accounts} collection; the rest of the application reaches it over the bus. */
public class AccountsVerticle extends VerticleBase {

  static final String COLLECTION = "accounts";
  /** The login folded to lower case: uniqueness is case-insensitive. */
  static final String LOGIN_KEY = "loginKey";

  private MongoClient mongo;

  @Override
  public Future<?> start() {
    return Mongo.connect(vertx, config())
      .compose(client -> {
        mongo = client;
        return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put(LOGIN_KEY, 1),
          new IndexOptions().name("login_unique").unique(true));
      })
      .compose(indexed -> Mongo.serveHealth(vertx, Addresses.ACCOUNTS_HEALTH, mongo).completion());
  }

  @Override
  public Future<?> stop() {
    return mongo.close();
  }
}
