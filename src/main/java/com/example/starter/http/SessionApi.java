package com.example.starter.http;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusClient;
import com.example.starter.bus.Failures;
import com.example.starter.sessions.BusSessionStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.SessionHandler;

/** {@code /api/session} (log in, log out) and {@code /api/me}, on server-side sessions. */
final class SessionApi {

  private final BusClient bus;
  private final SessionHandler sessions;

  SessionApi(BusClient bus, SessionHandler sessions) {
    this.bus = bus;
    this.sessions = sessions;
  }

  /**
   * A new session id on every login (no fixation), written to the store before the answer: the
   * handler's own flush at the end of the request does not wait for an asynchronous store.
   */
  void login(RoutingContext ctx) {
    JsonObject credentials = AccountsApi.credentials(ctx).put("client", ctx.request().remoteAddress().hostAddress());
    bus.request(Addresses.ACCOUNTS_AUTHENTICATE, credentials)
      .compose(reply -> {
        String login = reply.getString("login");
        Session session = ctx.session();
        session.regenerateId();
        session.put(BusSessionStore.LOGIN, login);
        return sessions.flush(ctx).map(login);
      })
      .onComplete(
        login -> ctx.json(new JsonObject().put("login", login)),
        failure -> {
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
