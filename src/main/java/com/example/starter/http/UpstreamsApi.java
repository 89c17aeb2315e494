package com.example.starter.http;

import com.example.starter.bus.Addresses;
import com.example.starter.config.AppConfig;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/upstreams}: this node's view of the configured upstream services. */
final class UpstreamsApi {

  private final EventBus bus;
  private final DeliveryOptions delivery;

  UpstreamsApi(EventBus bus, AppConfig config) {
    this.bus = bus;
    // Each upstream is bounded by its own timeout; the whole by the largest, with room to spare.
    long longest =
        config.upstreams().stream()
            .mapToLong(upstream -> ((JsonObject) upstream).getLong("timeoutMs"))
            .max()
            .orElse(0);
    this.delivery =
        new DeliveryOptions().setLocalOnly(true).setSendTimeout(longest + config.busTimeoutMs());
  }

  void fetchAll(RoutingContext ctx) {
    bus.<JsonObject>request(Addresses.UPSTREAMS_FETCH, new JsonObject(), delivery)
        .onComplete(reply -> ctx.json(reply.body()), ApiErrors.busFailure(ctx));
  }
}
