package com.example.starter.ops;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.internal.ContextInternal;

/**
 * One request, one id, on every node: the id lives in the local data of the Vert.x context that
 * handles the request (each HTTP request and each event-bus message gets a context of its own, and
 * the futures of its work run on it), travels in an event-bus header, and is copied into the
 * logging MDC at each log call ({@link RequestIdMdc}).
 */
public final class RequestIds {

  /** The HTTP header and the event-bus header. */
  public static final String HEADER = "X-Request-Id";

  /** The MDC key: {@code %X{requestId}} in text logs, {@code mdc.requestId} in JSON ones. */
  public static final String MDC_KEY = "requestId";

  private static final Object LOCAL_KEY = RequestIds.class;

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

  /** Makes {@code id} the current request's, for the context handling it. */
  public static void set(Context context, String id) {
    ((ContextInternal) context).localContextData().put(LOCAL_KEY, id);
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
    Context context = Vertx.currentContext();
    if (id != null && context != null && ((ContextInternal) context).isDuplicate()) {
      set(context, id);
    }
    delivery.next();
  }
}
