package com.example.starter.http;

import com.example.starter.bus.Addresses;
import com.example.starter.config.ConfigKeys;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /api/accounts}: registration, answered by the accounts role. */
final class AccountsApi {

  private final EventBus bus;
  private final DeliveryOptions delivery;

  AccountsApi(EventBus bus, JsonObject config) {
    this.bus = bus;
    this.delivery = new DeliveryOptions().setSendTimeout(config.getInteger(ConfigKeys.BUS_TIMEOUT_MS));
  }

  void register(RoutingContext ctx) {
    bus.<JsonObject>request(Addresses.ACCOUNTS_REGISTER, credentials(ctx), delivery).onComplete(
      reply -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(reply.body().encode()),
      failure -> ApiErrors.sendBusFailure(ctx, failure));
  }

  /** Only the two fields go on the bus, whatever else the body carried. */
  static JsonObject credentials(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    return new JsonObject().put("login", body.getValue("login")).put("password", body.getValue("password"));
  }
}
