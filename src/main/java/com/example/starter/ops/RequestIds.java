package com.example.starter.ops;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One request, one id, on every node: the id lives in the local data of the Vert.x context that
 * handles the request (each HTTP request and each event-bus message gets a context of its own, and
 * the futures of its work run on it), travels in an event-bus header, and is copied into the
 * logging MDC at each log call ({@link RequestMdc}).
 */
public final class RequestIds {

  /** The HTTP header and the event-bus header. */
  public static final String HEADER = "X-Request-Id";

  /** The MDC key: {@code %X{requestId}} in text logs, {@code mdc.requestId} in JSON ones. */
  public static final String MDC_KEY = "requestId";

  private static final Object LOCAL_KEY = RequestIds.class;

  /** A caller's id is written to logs: anything else could forge or break log lines. */
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {}

  /** Carries the id of the sending context on every message, and restores it where it arrives. */
  public static void install(Vertx vertx) {
    vertx.eventBus().addOutboundInterceptor(RequestIds::stamp);
    vertx.eventBus().addInboundInterceptor(RequestIds::restore);
  }

  /** The id of what this thread works on, or null. */
  public static String current() {
    return Vertx.currentContext() instanceof ContextInternal context
        ? (String) context.localContextData().get(LOCAL_KEY)
        : null;
  }

  /** The caller's id if it is one we log as it is, else a new one. */
  public static String acceptOrMake(String fromCaller) {
    return fromCaller != null && ACCEPTED.matcher(fromCaller).matches() ? fromCaller : make();
  }

  /** Not a secret, so a fast non-cryptographic random is enough. */
  private static String make() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toHexString(random.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
  }

  /**
   * Makes {@code id} the current request's, for the context handling it; only a duplicated one (a
   * request's or a message's own), never a verticle's, which everything it does shares.
   */
  public static void set(Context context, String id) {
    if (context instanceof ContextInternal internal && internal.isDuplicate()) {
      internal.localContextData().put(LOCAL_KEY, id);
    }
  }

  private static void stamp(DeliveryContext<Object> delivery) {
    String id = current();
    if (id != null && !delivery.message().headers().contains(HEADER)) {
      delivery.message().headers().set(HEADER, id);
    }
    delivery.next();
  }

  private static void restore(DeliveryContext<Object> delivery) {
    String id = delivery.message().headers().get(HEADER);
    if (id != null) {
      set(Vertx.currentContext(), id);
    }
    delivery.next();
  }
}
