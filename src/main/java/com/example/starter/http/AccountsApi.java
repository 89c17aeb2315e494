package com.example.starter.http;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** {@code POST /api/accounts}: registration, answered by the accounts role. */
final class AccountsApi {

  private final BusClient bus;

  AccountsApi(BusClient bus) {
    this.bus = bus;
  }

  /**
   * The two credentials, and the address if one was given: nothing else of the body goes on the
   * bus.
   */
  void register(RoutingContext ctx) {
    JsonObject registration = credentials(ctx);
    Object email = ctx.body().asJsonObject().getValue("email");
    if (email != null) {
      registration.put("email", email);
    }
    bus.request(Addresses.ACCOUNTS_REGISTER, registration)
        .onComplete(
            reply ->
                ctx.response()
                    .setStatusCode(201)
                    .putHeader("Content-Type", "application/json")
                    .end(reply.encode()),
            ApiErrors.busFailure(ctx));
  }

  /**
   * The token of a mailed link; the page at /verify posts it, so that it never sits in a Referer.
   */
  void verify(RoutingContext ctx) {
    bus.request(
            Addresses.ACCOUNTS_VERIFY,
            new JsonObject().put("token", ctx.body().asJsonObject().getValue("token")))
        .onComplete(reply -> ctx.response().setStatusCode(204).end(), ApiErrors.busFailure(ctx));
  }

  /** 202 whether or not the address has an account: the answer tells nobody which addresses do. */
  void requestReset(RoutingContext ctx) {
    JsonObject request =
        new JsonObject()
            .put("email", ctx.body().asJsonObject().getValue("email"))
            .put("client", SessionApi.client(ctx));
    bus.request(Addresses.ACCOUNTS_RESET_REQUEST, request)
        .onComplete(reply -> ctx.response().setStatusCode(202).end(), ApiErrors.busFailure(ctx));
  }

  void confirmReset(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    bus.request(
            Addresses.ACCOUNTS_RESET_CONFIRM,
            new JsonObject()
                .put("token", body.getValue("token"))
                .put("password", body.getValue("password")))
        .onComplete(reply -> ctx.response().setStatusCode(204).end(), ApiErrors.busFailure(ctx));
  }

  /**
   * Dev mode (no MAIL_HOST): the last mails, which were logged instead of sent, as JSON. Their
   * links open accounts, so only this machine may read them: any other client gets a 404.
   */
  void keptMails(RoutingContext ctx) {
    if (!loopback(SessionApi.client(ctx))) {
      ctx.fail(404);
      return;
    }
    bus.request(Addresses.MAIL_KEPT, new JsonObject())
        .onComplete(ctx::json, ApiErrors.busFailure(ctx));
  }

  private static boolean loopback(String address) {
    try {
      // An address literal: no name is looked up.
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Only the two fields go on the bus, whatever else the body carried. */
  static JsonObject credentials(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    return new JsonObject()
        .put("login", body.getValue("login"))
        .put("password", body.getValue("password"));
  }
}
