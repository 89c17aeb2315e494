package com.example.starter.http;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/greetings?name=}: the worked example of a route answered by a role of its own.
 */
final class GreetingsApi {

  private final BusClient bus;

  GreetingsApi(BusClient bus) {
    this.bus = bus;
  }

  void greet(RoutingContext ctx) {
    bus.request(
            Addresses.GREETINGS_GREET, new JsonObject().put("name", ctx.queryParams().get("name")))
        .onComplete(ctx::json, ApiErrors.busFailure(ctx));
  }
}
