package com.example.starter.http;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusClient;
import com.example.starter.sessions.BusSessionStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.SessionHandler;
import java.util.function.Function;

/** {@code /api/session} (log in, log out) and {@code /api/me}, on server-side sessions. */
final class SessionApi {

  /** The account's address and whether it was verified, as they were at login. */
  private static final String EMAIL = "email";

  private static final String VERIFIED = "verified";

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
    JsonObject credentials = AccountsApi.credentials(ctx).put("client", client(ctx));
    bus.request(Addresses.ACCOUNTS_AUTHENTICATE, credentials)
        .compose(
            reply -> {
              Session session = ctx.session();
              session.regenerateId();
              session.put(BusSessionStore.LOGIN, reply.getString("login"));
              if (reply.getString(EMAIL) != null) {
                session.put(EMAIL, reply.getString(EMAIL));
                session.put(VERIFIED, reply.getBoolean(VERIFIED));
              }
              return sessions.flush(ctx).map(reply);
            })
        .onComplete(ctx::json, ApiErrors.busFailure(ctx));
  }

  /** Destroys the session in the store, so its cookie is worthless on every node. */
  void logout(RoutingContext ctx) {
    ctx.session().destroy();
    sessions
        .flush(ctx)
        .onComplete(
            destroyed -> ctx.response().setStatusCode(204).end(), ApiErrors.busFailure(ctx));
  }

  /**
   * Ends every session of this account, this one included, on every node; their chat sockets close.
   */
  void logoutEverywhere(RoutingContext ctx) {
    loggedIn(
        ctx,
        login ->
            bus.request(Addresses.SESSIONS_END_ACCOUNT, new JsonObject().put("account", login))
                .compose(ended -> endThisSession(ctx)));
  }

  /** A new verification link for this account's address. */
  void resendVerification(RoutingContext ctx) {
    loggedIn(
        ctx,
        202,
        login ->
            bus.request(
                Addresses.ACCOUNTS_RESEND_VERIFICATION,
                new JsonObject().put("login", login).put("client", client(ctx))));
  }

  /** The other sessions of the account end; this one stays. */
  void changePassword(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    loggedIn(
        ctx,
        login ->
            bus.request(
                    Addresses.ACCOUNTS_CHANGE_PASSWORD,
                    new JsonObject()
                        .put("login", login)
                        .put("currentPassword", body.getValue("currentPassword"))
                        .put("password", body.getValue("password"))
                        .put("session", ctx.session().id())
                        .put("client", client(ctx)))
                .mapEmpty());
  }

  /** The account and every session of it, this one included. */
  void deleteAccount(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    loggedIn(
        ctx,
        login ->
            bus.request(
                    Addresses.ACCOUNTS_DELETE,
                    new JsonObject()
                        .put("login", login)
                        .put("password", body.getValue("password"))
                        .put("client", client(ctx)))
                .compose(deleted -> endThisSession(ctx)));
  }

  /**
   * Runs {@code action} for the session's login, then answers 204. The contract has the operation
   * need a login, so there is one (ContractSecurity).
   */
  private void loggedIn(RoutingContext ctx, Function<String, Future<?>> action) {
    loggedIn(ctx, 204, action);
  }

  private void loggedIn(RoutingContext ctx, int status, Function<String, Future<?>> action) {
    action
        .apply(ctx.session().<String>get(BusSessionStore.LOGIN))
        .onComplete(done -> ctx.response().setStatusCode(status).end(), ApiErrors.busFailure(ctx));
  }

  /** The store already lost it: destroying it here clears the cookie and this verticle's copy. */
  private Future<Void> endThisSession(RoutingContext ctx) {
    ctx.session().destroy();
    return sessions.flush(ctx);
  }

  /** The caller's address as this server sees it, which the accounts role's limits are kept per. */
  static String client(RoutingContext ctx) {
    return ctx.request().remoteAddress().hostAddress();
  }

  /** Logged in, as the contract requires (ContractSecurity). */
  void me(RoutingContext ctx) {
    JsonObject me = new JsonObject().put("login", ctx.session().<String>get(BusSessionStore.LOGIN));
    String email = ctx.session().get(EMAIL);
    if (email != null) {
      me.put(EMAIL, email).put(VERIFIED, ctx.session().<Boolean>get(VERIFIED));
    }
    ctx.json(me);
  }
}
