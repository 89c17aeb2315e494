package com.example.starter.accounts;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusClient;
import com.example.starter.bus.BusException;
import com.example.starter.bus.Deadline;
import com.example.starter.bus.Failures;
import com.example.starter.mongo.Mongo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.ext.mongo.WriteOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration and login against the {@code accounts} collection. Hashing is slow on purpose: it
 * runs on the {@link PasswordHasher}'s workers, the database calls are asynchronous.
 */
final class Accounts {

  private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);

  static final String COLLECTION = "accounts";

  /** The login folded to lower case: uniqueness is case-insensitive. */
  static final String LOGIN_KEY = "loginKey";

  static final String LOGIN = "login";

  /** The field vertx-auth-mongo reads by default. */
  static final String PASSWORD = "password";

  static final String EMAIL = "email";
  static final String VERIFIED = "verified";

  /** One address, one account: the address (normalised) is the key of its claim. */
  static final String EMAILS = "emails";

  static final long VERIFY_HOURS = 24;
  static final long RESET_MINUTES = 30;

  private final MongoClient mongo;
  private final BusClient bus;
  private final Mailer mailer;
  private final Tokens tokens;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final boolean unverifiedLogin;

  /** Registrations under way here, by login key (used on the verticle's event loop only). */
  private final Map<String, Future<JsonObject>> registering = new HashMap<>();

  /** Checked against when the login is unknown, so that both failures take the same time. */
  private final String dummyHash;

  private Accounts(
      MongoClient mongo,
      BusClient bus,
      Mailer mailer,
      PasswordHasher hasher,
      LoginThrottle throttle,
      String dummyHash,
      boolean unverifiedLogin) {
    this.unverifiedLogin = unverifiedLogin;
    this.mongo = mongo;
    this.bus = bus;
    this.mailer = mailer;
    this.tokens = new Tokens(mongo);
    this.hasher = hasher;
    this.throttle = throttle;
    this.dummyHash = dummyHash;
  }

  /** Creates the indexes and the dummy hash, once per process. */
  static Future<Accounts> create(
      MongoClient mongo,
      BusClient bus,
      Mailer mailer,
      PasswordHasher hasher,
      LoginThrottle throttle,
      boolean unverifiedLogin) {
    return mongo
        .createIndexWithOptions(
            COLLECTION,
            new JsonObject().put(LOGIN_KEY, 1),
            new IndexOptions().name("login_unique").unique(true))
        .compose(indexed -> throttle.createIndexes())
        .compose(indexed -> new Tokens(mongo).createIndexes())
        .compose(indexed -> hasher.hash("not a password of anyone's", new Deadline(Long.MAX_VALUE)))
        .map(
            dummyHash ->
                new Accounts(mongo, bus, mailer, hasher, throttle, dummyHash, unverifiedLogin));
  }

  /**
   * A taken login is answered from a lookup, before any hashing. Concurrent registrations of one
   * login here share one hash: the first goes ahead, the others hear how it went (taken, or they
   * try in turn if it failed). Between nodes the unique index decides. An address is claimed first
   * (its own unique key), and given back if the login is taken.
   */
  Future<JsonObject> register(JsonObject request, Deadline deadline) {
    Credentials credentials = Credentials.forRegistration(request);
    String key = credentials.loginKey();
    Future<JsonObject> first = registering.get(key);
    if (first != null) {
      return first.transform(
          done ->
              done.succeeded() || Failures.status(done.cause()) == Failures.CONFLICT
                  ? Future.failedFuture(taken(credentials))
                  : register(request, deadline));
    }
    Supplier<Future<?>> free =
        () ->
            mongo
                .findOne(
                    COLLECTION,
                    new JsonObject().put(LOGIN_KEY, key),
                    new JsonObject().put("_id", 1))
                .compose(
                    existing ->
                        existing == null
                            ? Future.succeededFuture()
                            : Future.failedFuture(taken(credentials)));
    Future<JsonObject> registered = create(credentials, request, free, deadline);
    registering.put(key, registered);
    return registered.andThen(done -> registering.remove(key));
  }

  private static BusException taken(Credentials credentials) {
    return new BusException(Failures.CONFLICT, "login '" + credentials.login() + "' is taken");
  }

  /**
   * Takes a place at the hashing pool now (or is refused at once), then looks whether the login is
   * free ({@code free}) and hashes.
   */
  private Future<JsonObject> create(
      Credentials credentials, JsonObject request, Supplier<Future<?>> free, Deadline deadline) {
    String email =
        request.getValue(EMAIL) == null ? null : Email.normalised(request.getValue(EMAIL));
    JsonObject reply = new JsonObject().put(LOGIN, credentials.login());
    if (email != null) {
      reply.put(EMAIL, email).put(VERIFIED, false);
    }
    return hasher
        .hashAfter(free, credentials.password(), deadline)
        .compose(
            hash -> {
              // Hashing took time: a caller who has stopped waiting hears 503, so no account may
              // appear.
              deadline.check();
              JsonObject account =
                  new JsonObject()
                      .put(LOGIN, credentials.login())
                      .put(LOGIN_KEY, credentials.loginKey())
                      .put(PASSWORD, hash)
                      .put("createdAt", Mongo.date(System.currentTimeMillis()));
              if (email != null) {
                account.put(EMAIL, email).put(VERIFIED, false);
              }
              // Journaled: a registration that was answered survives a crash of the database right
              // after.
              return claim(email, credentials.login())
                  .compose(
                      claimed ->
                          mongo
                              .insertWithOptions(COLLECTION, account, WriteOption.JOURNALED)
                              .recover(
                                  failure ->
                                      release(email)
                                          .transform(
                                              released ->
                                                  Future.failedFuture(
                                                      Mongo.isDuplicateKey(failure)
                                                          ? taken(credentials)
                                                          : failure))));
            })
        .compose(
            inserted ->
                email == null
                    ? Future.succeededFuture()
                    : sendVerification(credentials.login(), email))
        .map(sent -> reply);
  }

  private Future<Void> claim(String email, String login) {
    if (email == null) {
      return Future.succeededFuture();
    }
    return mongo
        .insertWithOptions(
            EMAILS, new JsonObject().put("_id", email).put(LOGIN, login), WriteOption.JOURNALED)
        .<Void>mapEmpty()
        .recover(
            failure ->
                Future.failedFuture(
                    Mongo.isDuplicateKey(failure)
                        ? new BusException(
                            Failures.CONFLICT, "that email address belongs to another account")
                        : failure));
  }

  private Future<Void> release(String email) {
    return email == null
        ? Future.succeededFuture()
        : mongo.removeDocument(EMAILS, new JsonObject().put("_id", email)).mapEmpty();
  }

  /**
   * The account exists once this is reached: a mail that cannot go out is logged, not answered as a
   * failure (a 503 would say "not registered"); the person asks for another link.
   */
  private Future<Void> sendVerification(String login, String email) {
    return tokens
        .issue(login, Tokens.VERIFY, TimeUnit.HOURS.toMillis(VERIFY_HOURS))
        .compose(
            token ->
                mailer.send(
                    email,
                    "Confirm your address",
                    "verify",
                    Map.of(
                        "login",
                        login,
                        "link",
                        mailer.link("verify", token),
                        "hours",
                        Long.toString(VERIFY_HOURS))))
        .recover(
            failure -> {
              LOG.warn(
                  "The verification mail for account {} was not sent: {}",
                  login,
                  failure.getMessage());
              return Future.succeededFuture();
            });
  }

  /**
   * Another verification link, for a logged-in account with an unverified address; the links sent
   * before stop working. Limited like failed logins, per account and client and per client.
   */
  Future<JsonObject> resendVerification(JsonObject request, Deadline deadline) {
    String login = Credentials.string(request, LOGIN);
    String client = client(request);
    String key = "resend:" + login.toLowerCase(Locale.ROOT);
    return throttle
        .waitFor(key, client)
        .compose(
            wait ->
                wait > 0
                    ? Future.failedFuture(
                        Failures.tooManyRequests("too many verification mails asked for", wait))
                    : throttle.recordFailure(key, client))
        .compose(
            counted ->
                mongo.findOne(
                    COLLECTION,
                    new JsonObject().put(LOGIN_KEY, login.toLowerCase(Locale.ROOT)),
                    new JsonObject().put(EMAIL, 1).put(VERIFIED, 1)))
        .compose(
            account -> {
              if (account == null || account.getString(EMAIL) == null) {
                return Future.failedFuture(
                    new BusException(Failures.BAD_REQUEST, "this account has no email address"));
              }
              if (account.getBoolean(VERIFIED, false)) {
                return Future.failedFuture(
                    new BusException(Failures.CONFLICT, "the address is verified already"));
              }
              return tokens
                  .revoke(login, Tokens.VERIFY)
                  .compose(revoked -> sendVerification(login, account.getString(EMAIL)));
            })
        .map(sent -> new JsonObject());
  }

  /** Uses up a verification token and marks its account's address as verified. */
  Future<JsonObject> verify(JsonObject request, Deadline deadline) {
    return tokens
        .consume(request.getValue("token"), Tokens.VERIFY)
        .compose(
            login ->
                mongo
                    .updateCollectionWithOptions(
                        COLLECTION,
                        new JsonObject().put(LOGIN_KEY, login.toLowerCase(Locale.ROOT)),
                        new JsonObject().put("$set", new JsonObject().put(VERIFIED, true)),
                        new UpdateOptions().setWriteOption(WriteOption.JOURNALED))
                    .map(updated -> new JsonObject().put(LOGIN, login)));
  }

  Future<Void> sweep() {
    return Future.all(throttle.sweep(), tokens.sweep()).mapEmpty();
  }

  /**
   * The same 401 for an unknown login and a wrong password, after the same hashing work. The
   * request's {@code client} (the caller's address, as the http role saw it) keys the throttle.
   */
  Future<JsonObject> authenticate(JsonObject request, Deadline deadline) {
    Credentials credentials = Credentials.forLogin(request);
    String key = credentials.loginKey();
    String client = client(request);
    return throttle
        .waitFor(key, client)
        .compose(
            wait -> {
              if (wait > 0) {
                return Future.failedFuture(
                    Failures.tooManyRequests("too many failed logins", wait));
              }
              return mongo.findOne(
                  COLLECTION,
                  new JsonObject().put(LOGIN_KEY, key),
                  new JsonObject().put(LOGIN, 1).put(PASSWORD, 1).put(EMAIL, 1).put(VERIFIED, 1));
            })
        .compose(
            account ->
                hasher
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
                            return throttle.clear(key, client).map(cleared -> whoIs(account));
                          }
                          return throttle
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
        .compose(verified -> bus.request(Addresses.SESSIONS_END_ACCOUNT, endOthers))
        .compose(ended -> setPassword(login, next, deadline))
        .compose(updated -> bus.request(Addresses.SESSIONS_END_ACCOUNT, endOthers))
        .map(ended -> new JsonObject());
  }

  private Future<Void> setPassword(String login, String password, Deadline deadline) {
    return hasher
        .hash(password, deadline)
        .compose(
            hash -> {
              deadline.check();
              return mongo.updateCollectionWithOptions(
                  COLLECTION,
                  new JsonObject().put(LOGIN_KEY, login.toLowerCase(Locale.ROOT)),
                  new JsonObject().put("$set", new JsonObject().put(PASSWORD, hash)),
                  new UpdateOptions().setWriteOption(WriteOption.JOURNALED));
            })
        .mapEmpty();
  }

  /**
   * The same 202 whether or not the address belongs to an account, after the same work (the
   * throttle's count and one lookup): the token and the mail follow the answer. Requests count like
   * failed logins, per address and client and per client.
   */
  Future<JsonObject> requestReset(JsonObject request, Deadline deadline) {
    String email = Email.normalised(request.getValue(EMAIL));
    String client = client(request);
    // Throttle keys are short by design: an address stands in by its hash.
    String key = "reset:" + Integer.toHexString(email.hashCode());
    return throttle
        .waitFor(key, client)
        .compose(
            wait ->
                wait > 0
                    ? Future.failedFuture(
                        Failures.tooManyRequests("too many password reset requests", wait))
                    : throttle.recordFailure(key, client))
        .compose(counted -> mongo.findOne(EMAILS, new JsonObject().put("_id", email), null))
        .map(
            claim -> {
              if (claim != null) {
                String login = claim.getString(LOGIN);
                tokens
                    .issue(login, Tokens.RESET, TimeUnit.MINUTES.toMillis(RESET_MINUTES))
                    .compose(
                        token ->
                            mailer.send(
                                email,
                                "Reset your password",
                                "reset",
                                Map.of(
                                    "login",
                                    login,
                                    "link",
                                    mailer.link("reset", token),
                                    "minutes",
                                    Long.toString(RESET_MINUTES))))
                    .onFailure(
                        failure ->
                            LOG.warn(
                                "The password reset mail for account {} was not sent: {}",
                                login,
                                failure.getMessage()));
              }
              return new JsonObject();
            });
  }

  /**
   * The new password is checked before the token is used up. Every session of the account ends
   * (before the write, and after it, for one opened meanwhile), and every other reset token with
   * it.
   */
  Future<JsonObject> confirmReset(JsonObject request, Deadline deadline) {
    String password = Credentials.newPassword(request.getValue(PASSWORD));
    return tokens
        .consume(request.getValue("token"), Tokens.RESET)
        .compose(
            login -> {
              JsonObject everySession = new JsonObject().put("account", login);
              return bus.request(Addresses.SESSIONS_END_ACCOUNT, everySession)
                  .compose(ended -> setPassword(login, password, deadline))
                  .compose(set -> tokens.revoke(login, Tokens.RESET))
                  .compose(revoked -> bus.request(Addresses.SESSIONS_END_ACCOUNT, everySession));
            })
        .map(ended -> new JsonObject());
  }

  private static String client(JsonObject request) {
    return request.getValue("client") instanceof String address && !address.isEmpty()
        ? address
        : "unknown";
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
                bus.request(Addresses.SESSIONS_END_ACCOUNT, new JsonObject().put("account", login)))
        .compose(
            ended -> {
              deadline.check();
              return mongo.findOneAndDelete(
                  COLLECTION, new JsonObject().put(LOGIN_KEY, login.toLowerCase(Locale.ROOT)));
            })
        .compose(account -> release(account == null ? null : account.getString(EMAIL)))
        .compose(
            released ->
                Future.all(tokens.revoke(login, Tokens.VERIFY), tokens.revoke(login, Tokens.RESET)))
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
