package com.example.starter.accounts;

import static com.example.starter.accounts.Accounts.*;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusException;
import com.example.starter.bus.Deadline;
import com.example.starter.bus.Failures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.ext.mongo.WriteOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What mailed links do, each by a single-use token ({@link Tokens}): verify an address, and reset a
 * forgotten password.
 */
final class MailedLinks {

  static final long VERIFY_HOURS = 24;
  static final long RESET_MINUTES = 30;

  private static final Logger LOG = LoggerFactory.getLogger(MailedLinks.class);

  /** A mailed link: its page (and template), its token's type, how long it is valid. */
  private record Link(
      String page, String tokenType, String subject, long lifetime, TimeUnit unit) {}

  private static final Link VERIFY =
      new Link("verify", Tokens.VERIFY, "Confirm your address", VERIFY_HOURS, TimeUnit.HOURS);
  private static final Link RESET =
      new Link("reset", Tokens.RESET, "Reset your password", RESET_MINUTES, TimeUnit.MINUTES);

  private final Accounts accounts;

  MailedLinks(Accounts accounts) {
    this.accounts = accounts;
  }

  /**
   * The account exists once this is reached: a mail that cannot go out is logged, not answered as a
   * failure (a 503 would say "not registered"); the person asks for another link.
   */
  Future<Void> sendVerification(String login, String email) {
    return mail(VERIFY, login, email);
  }

  /** Issues a token and mails its link; a mail that cannot go out is logged, not a failure. */
  private Future<Void> mail(Link link, String login, String email) {
    Mailer mailer = accounts.mailer();
    return accounts
        .tokens()
        .issue(login, link.tokenType(), link.unit().toMillis(link.lifetime()))
        .compose(
            token ->
                mailer.send(
                    email,
                    link.subject(),
                    link.page(),
                    Map.of(
                        "login",
                        login,
                        "link",
                        mailer.link(link.page(), token),
                        link.unit().name().toLowerCase(Locale.ROOT),
                        Long.toString(link.lifetime()))))
        .recover(
            failure -> {
              LOG.warn(
                  "The {} mail for account {} was not sent: {}",
                  link.page(),
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
    String client = Accounts.client(request);
    String key = "resend:" + login.toLowerCase(Locale.ROOT);
    return accounts
        .throttle()
        .countOrRefuse(key, client, "too many verification mails asked for")
        .compose(
            counted ->
                accounts
                    .mongo()
                    .findOne(
                        COLLECTION,
                        byLogin(login),
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
              return accounts
                  .tokens()
                  .revoke(login, Tokens.VERIFY)
                  .compose(revoked -> sendVerification(login, account.getString(EMAIL)));
            })
        .map(sent -> new JsonObject());
  }

  /** Uses up a verification token and marks its account's address as verified. */
  Future<JsonObject> verify(JsonObject request, Deadline deadline) {
    return accounts
        .tokens()
        .consume(request.getValue("token"), Tokens.VERIFY)
        .compose(
            login ->
                accounts
                    .mongo()
                    .updateCollectionWithOptions(
                        COLLECTION,
                        byLogin(login),
                        new JsonObject().put("$set", new JsonObject().put(VERIFIED, true)),
                        new UpdateOptions().setWriteOption(WriteOption.JOURNALED))
                    .map(updated -> new JsonObject().put(LOGIN, login)));
  }

  /**
   * The same 202 whether or not the address belongs to an account, after the same work (the
   * throttle's count and one lookup): the token and the mail follow the answer. Requests count like
   * failed logins, per address and client and per client.
   */
  Future<JsonObject> requestReset(JsonObject request, Deadline deadline) {
    String email = Email.normalised(request.getValue(EMAIL));
    String client = Accounts.client(request);
    // Throttle keys are short by design: an address stands in by its hash.
    String key = "reset:" + Integer.toHexString(email.hashCode());
    return accounts
        .throttle()
        .countOrRefuse(key, client, "too many password reset requests")
        .compose(
            counted -> accounts.mongo().findOne(EMAILS, new JsonObject().put("_id", email), null))
        .map(
            claim -> {
              if (claim != null) {
                // After the answer, which is the same whether or not a mail goes.
                mail(RESET, claim.getString(LOGIN), email);
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
    return accounts
        .tokens()
        .consume(request.getValue("token"), Tokens.RESET)
        .compose(
            login -> {
              JsonObject everySession = new JsonObject().put("account", login);
              return accounts
                  .bus()
                  .request(Addresses.SESSIONS_END_ACCOUNT, everySession)
                  .compose(ended -> accounts.setPassword(login, password, deadline))
                  .compose(set -> accounts.tokens().revoke(login, Tokens.RESET))
                  .compose(
                      revoked ->
                          accounts.bus().request(Addresses.SESSIONS_END_ACCOUNT, everySession));
            })
        .map(ended -> new JsonObject());
  }
}
