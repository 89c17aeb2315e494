package com.example.starter.http;

import com.example.starter.ops.RequestIds;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Takes {@code X-Request-Id} from the request, or makes one, and returns it on the response, so a
 * caller can quote it and the logs can be searched for it.
 */
final class RequestId implements Handler<RoutingContext> {

  static final String HEADER = RequestIds.HEADER;
  private static final String KEY = "requestId";

  @Override
  public void handle(RoutingContext ctx) {
    String id = RequestIds.acceptOrMake(ctx.request().getHeader(HEADER));
    ctx.put(KEY, id);
    // For the bus requests and log lines of this request, on this node and the ones it asks.
    RequestIds.set(ctx.vertx().getOrCreateContext(), id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
