package com.example.starter.accounts;

import static com.example.starter.accounts.Accounts.*;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusException;
import com.example.starter.bus.Deadline;
import com.example.starter.bus.Failures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Logging in, and what else takes the password: changing it, deleting the account. Throttled per
 * login and client and per client ({@link LoginThrottle}).
 */
final class Login {

  private final Accounts accounts;
  private final boolean unverifiedLogin;

  /** Checked against when the login is unknown, so that both failures take the same time. */
  private final String dummyHash;

  private Login(Accounts accounts, String dummyHash, boolean unverifiedLogin) {
    this.accounts = accounts;
    this.dummyHash = dummyHash;
    this.unverifiedLogin = unverifiedLogin;
  }

  /** With the dummy hash, made once per process. */
  static Future<Login> create(Accounts accounts, boolean unverifiedLogin) {
    return accounts
        .hasher()
        .hash("not a password of anyone's", new Deadline(Long.MAX_VALUE))
        .map(dummyHash -> new Login(accounts, dummyHash, unverifiedLogin));
  }

  /**
   * The same 401 for an unknown login and a wrong password, after the same hashing work. The
   * request's {@code client} (the caller's address, as the http role saw it) keys the throttle.
   */
  Future<JsonObject> authenticate(JsonObject request, Deadline deadline) {
    Credentials credentials = Credentials.forLogin(request);
    String key = credentials.loginKey();
    String client = Accounts.client(request);
    return accounts
        .throttle()
        .waitFor(key, client)
        .compose(
            wait -> {
              if (wait > 0) {
                return Future.failedFuture(
                    Failures.tooManyRequests("too many failed logins", wait));
              }
              return accounts
                  .mongo()
                  .findOne(
                      COLLECTION,
                      new JsonObject().put(LOGIN_KEY, key),
                      new JsonObject()
                          .put(LOGIN, 1)
                          .put(PASSWORD, 1)
                          .put(EMAIL, 1)
                          .put(VERIFIED, 1));
            })
        .compose(
            account ->
                accounts
                    .hasher()
                    .verify(
                        account == null ? dummyHash : account.getString(PASSWORD),
                        credentials.password(),
                        deadline)
                    .compose(
                        valid -> {
                          if (valid && account != null) {
                            if (!unverifiedLogin
                                && account.getString(EMAIL) != null
                                && !account.getBoolean(VERIFIED, false)) {
                              return Future.failedFuture(
                                  new BusException(
                                      Failures.FORBIDDEN,
                                      "confirm your email address first: follow the mailed link"));
                            }
                            return accounts
                                .throttle()
                                .clear(key, client)
                                .map(cleared -> whoIs(account));
                          }
                          return accounts
                              .throttle()
                              .recordFailure(key, client)
                              .compose(
                                  recorded ->
                                      Future.failedFuture(
                                          new BusException(
                                              Failures.UNAUTHORIZED,
                                              "login or password is wrong")));
                        }));
  }

  /**
   * What a session knows of its account: the login, and the address with whether it is verified.
   */
  private static JsonObject whoIs(JsonObject account) {
    JsonObject who = new JsonObject().put(LOGIN, account.getString(LOGIN));
    if (account.getString(EMAIL) != null) {
      who.put(EMAIL, account.getString(EMAIL)).put(VERIFIED, account.getBoolean(VERIFIED, false));
    }
    return who;
  }

  /**
   * The other sessions end before the new password is written, so that a 503 means "not changed";
   * they are ended again after, for a session opened with the old password meanwhile.
   */
  Future<JsonObject> changePassword(JsonObject request, Deadline deadline) {
    String login = Credentials.string(request, LOGIN);
    String next = Credentials.newPassword(request.getValue(PASSWORD));
    JsonObject endOthers =
        new JsonObject()
            .put("account", login)
            .put("except", Credentials.string(request, "session"));
    return checkPassword(
            login, request.getValue("currentPassword"), request.getValue("client"), deadline)
        .compose(verified -> accounts.bus().request(Addresses.SESSIONS_END_ACCOUNT, endOthers))
        .compose(ended -> accounts.setPassword(login, next, deadline))
        .compose(updated -> accounts.bus().request(Addresses.SESSIONS_END_ACCOUNT, endOthers))
        .map(ended -> new JsonObject());
  }

  /**
   * Sessions first: a 503 leaves the account in place, and the login cannot be taken over
   * meanwhile. Then the account, its address (free again) and its tokens.
   */
  Future<JsonObject> delete(JsonObject request, Deadline deadline) {
    String login = Credentials.string(request, LOGIN);
    return checkPassword(login, request.getValue(PASSWORD), request.getValue("client"), deadline)
        .compose(
            verified ->
                accounts
                    .bus()
                    .request(
                        Addresses.SESSIONS_END_ACCOUNT, new JsonObject().put("account", login)))
        .compose(
            ended -> {
              deadline.check();
              return accounts.mongo().findOneAndDelete(COLLECTION, byLogin(login));
            })
        .compose(account -> accounts.release(account == null ? null : account.getString(EMAIL)))
        .compose(
            released ->
                Future.all(
                    accounts.tokens().revoke(login, Tokens.VERIFY),
                    accounts.tokens().revoke(login, Tokens.RESET)))
        .map(revoked -> new JsonObject());
  }

  /**
   * A logged-in account's password, checked as a login is (throttled too: it is another door for
   * guessing).
   */
  private Future<JsonObject> checkPassword(
      String login, Object password, Object client, Deadline deadline) {
    JsonObject asLogin =
        new JsonObject().put(LOGIN, login).put(PASSWORD, password).put("client", client);
    return authenticate(asLogin, deadline)
        .recover(
            failure ->
                Future.failedFuture(
                    failure instanceof BusException refused
                            && refused.code() == Failures.UNAUTHORIZED
                        ? new BusException(Failures.FORBIDDEN, "the password is wrong")
                        : failure));
  }
}
