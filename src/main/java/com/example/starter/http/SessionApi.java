package com.example.starter.http;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.Failures;
import com.example.starter.config.ConfigKeys;
import com.example.starter.sessions.BusSessionStore;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.SessionHandler;

/** {@code /api/session} (log in, log out) and {@code /api/me}, on server-side sessions. */
final class SessionApi {

  private final EventBus bus;
  private final DeliveryOptions delivery;
  private final SessionHandler sessions;
  private final String retryAfterSeconds;

  SessionApi(EventBus bus, JsonObject config, SessionHandler sessions) {
    this.bus = bus;
    this.delivery = new DeliveryOptions().setSendTimeout(config.getInteger(ConfigKeys.BUS_TIMEOUT_MS));
    this.sessions = sessions;
    // The oldest counted failure leaves the window within this time: a safe upper bound.
    this.retryAfterSeconds = String.valueOf(config.getInteger(ConfigKeys.LOGIN_FAILURE_WINDOW_SECONDS));
  }

  /**
   * A new session id on every login (no fixation), written to the store before the answer: the
   * handler's own flush at the end of the request does not wait for an asynchronous store.
   */
  void login(RoutingContext ctx) {
    bus.<JsonObject>request(Addresses.ACCOUNTS_AUTHENTICATE, AccountsApi.credentials(ctx), delivery)
      .compose(reply -> {
        String login = reply.body().getString("login");
        Session session = ctx.session();
        session.regenerateId();
        session.put(BusSessionStore.LOGIN, login);
        return sessions.flush(ctx).map(login);
      })
      .onComplete(
        login -> ctx.json(new JsonObject().put("login", login)),
        failure -> {
          if (Failures.status(failure) == Failures.TOO_MANY_REQUESTS) {
            ctx.response().putHeader("Retry-After", retryAfterSeconds);
          }
          ApiErrors.sendBusFailure(ctx, failure);
        });
  }

  /** Destroys the session in the store, so its cookie is worthless on every node. */
  void logout(RoutingContext ctx) {
    ctx.session().destroy();
    sessions.flush(ctx).onComplete(
      destroyed -> ctx.response().setStatusCode(204).end(),
      failure -> ApiErrors.sendBusFailure(ctx, failure));
  }

  void me(RoutingContext ctx) {
    String login = ctx.session().get(BusSessionStore.LOGIN);
    if (login == null) {
      ApiErrors.send(ctx, Failures.UNAUTHORIZED, "not logged in");
    } else {
      ctx.json(new JsonObject().put("login", login));
    }
  }
}
