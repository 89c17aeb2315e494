package com.example.starter.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Requests to the roles, each waiting at most {@code timeoutMillis} for its answer and telling the
 * role so ({@link Deadline#HEADER}): a role does not start work its caller will no longer wait for.
 */
public final class BusClient {

  private final EventBus bus;
  private final long timeoutMillis;

  public BusClient(EventBus bus, long timeoutMillis) {
    this.bus = bus;
    this.timeoutMillis = timeoutMillis;
  }

  public Future<JsonObject> request(String address, JsonObject body) {
    DeliveryOptions options =
        new DeliveryOptions()
            .setSendTimeout(timeoutMillis)
            .addHeader(Deadline.HEADER, Long.toString(timeoutMillis));
    return bus.<JsonObject>request(address, body, options).map(reply -> reply.body());
  }
}
