package com.example.starter.http;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /api/accounts}: registration, answered by the accounts role. */
final class AccountsApi {

  private final BusClient bus;

  AccountsApi(BusClient bus) {
    this.bus = bus;
  }

  void register(RoutingContext ctx) {
    bus.request(Addresses.ACCOUNTS_REGISTER, credentials(ctx)).onComplete(
      reply -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(reply.encode()),
      failure -> ApiErrors.sendBusFailure(ctx, failure));
  }

  /** Only the two fields go on the bus, whatever else the body carried. */
  static JsonObject credentials(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    return new JsonObject().put("login", body.getValue("login")).put("password", body.getValue("password"));
  }
}
