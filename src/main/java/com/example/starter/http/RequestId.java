package com.example.starter.http;

import com.example.starter.ops.RequestIds;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Takes {@code X-Request-Id} from the request, or makes one, and returns it on the response, so a
 * caller can quote it and the logs can be searched for it.
 */
final class RequestId implements Handler<RoutingContext> {

  static final String HEADER = RequestIds.HEADER;
  private static final String KEY = "requestId";

  /** A caller's id is written to logs: anything else could forge or break log lines. */
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Override
  public void handle(RoutingContext ctx) {
    String id = ctx.request().getHeader(HEADER);
    if (id == null || !ACCEPTED.matcher(id).matches()) {
      id = generate();
    }
    ctx.put(KEY, id);
    // For the bus requests and log lines of this request, on this node and the ones it asks.
    RequestIds.set(ctx.vertx().getOrCreateContext(), id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** Not a secret, so a fast non-cryptographic random is enough. */
  private static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toHexString(random.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
  }
}
