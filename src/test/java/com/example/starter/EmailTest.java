package com.example.starter;

import static com.example.starter.RunningApp.delete;
import static com.example.starter.RunningApp.deleteAccount;
import static com.example.starter.RunningApp.me;
import static com.example.starter.RunningApp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.starter.config.Setting;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Addresses and their verification, with mail sent through a real SMTP server (GreenMail) and read
 * back.
 */
class EmailTest {

  private static final String PROJECT = "com.example.starter";
  private static final Pattern LINK =
      Pattern.compile("/(verify|reset)\\?token=([A-Za-z0-9_-]{43})");
  private static final JsonObject ALICE =
      new JsonObject()
          .put("login", "alice")
          .put("password", "correct horse")
          .put("email", " Alice@Example.COM ");

  @RegisterExtension final RunningApp running = RunningApp.perTest();

  private GreenMail smtp;
  private Application app;
  private WebClient web;
  private LogCapture logged;

  @BeforeEach
  void start() {
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    // Everything this project logs, at every level, is looked at.
    logged = LogCapture.ofEverything(PROJECT);
    app = running.start(this::mailingTo);
    web = running.web();
  }

  /** The test settings, mailing through the test's SMTP server with links to the public URL. */
  private JsonObject mailingTo(JsonObject settings) {
    return settings
        .put(Setting.MAIL_HOST.name(), "127.0.0.1")
        .put(Setting.MAIL_PORT.name(), smtp.getSmtp().getPort())
        .put(Setting.PUBLIC_URL.name(), "https://service.example/");
  }

  @AfterEach
  void stop() {
    logged.close();
    smtp.stop();
  }

  /** The token of the verification mail that follows {@code before} mails. */
  private String mailedToken(int before, String to) throws Exception {
    return mailedToken(before, to, "Confirm your address", "verify");
  }

  /**
   * The token of the mail that follows {@code before} mails, after checking whom it is for and its
   * link to {@code page}.
   */
  private String mailedToken(int before, String to, String subject, String page) throws Exception {
    assertThat(smtp.waitForIncomingEmail(10_000, before + 1)).isTrue();
    MimeMessage mail = smtp.getReceivedMessages()[before];
    assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(to);
    assertThat(mail.getSubject()).isEqualTo(subject);
    String body = GreenMailUtil.getBody(mail);
    String link = "https://service.example/" + page + "?token=";
    assertThat(body).contains(link, "<a href=\"" + link);
    Matcher found = LINK.matcher(body);
    assertThat(found.find()).isTrue();
    return found.group(2);
  }

  @Test
  void aMailedResetLinkSetsANewPasswordOnceAndEndsEverySessionOfTheAccount() throws Exception {
    assertThat(post(web, "/api/accounts", ALICE).statusCode()).isEqualTo(201);
    WebClientSession loggedIn = WebClientSession.create(web);
    assertThat(post(loggedIn, "/api/session", ALICE).statusCode()).isEqualTo(200);

    JsonObject unknown = new JsonObject().put("email", "nobody@example.com");
    assertThat(post(web, "/api/password-reset", unknown).statusCode())
        .as("an unknown address")
        .isEqualTo(202);
    JsonObject aliceAddress = new JsonObject().put("email", "ALICE@example.com");
    assertThat(post(web, "/api/password-reset", aliceAddress).statusCode()).isEqualTo(202);
    // The unknown address was asked for first: had it been mailed, that mail would come before this
    // one.
    String first = mailedToken(1, "alice@example.com", "Reset your password", "reset");
    assertThat(post(web, "/api/password-reset", aliceAddress).statusCode()).isEqualTo(202);
    String second = mailedToken(2, "alice@example.com", "Reset your password", "reset");

    JsonObject reset = new JsonObject().put("token", first).put("password", "battery staple");
    assertThat(
            post(web, "/api/password-reset/confirm", reset.copy().put("password", "short"))
                .statusCode())
        .as("a bad password does not use the token up")
        .isEqualTo(400);
    assertThat(post(web, "/api/password-reset/confirm", reset).statusCode()).isEqualTo(204);

    await("the old session refused").atMost(Duration.ofSeconds(5)).until(() -> me(loggedIn) == 401);
    assertThat(post(web, "/api/session", ALICE).statusCode()).isEqualTo(401);
    assertThat(
            post(web, "/api/session", ALICE.copy().put("password", "battery staple")).statusCode())
        .isEqualTo(200);
    assertThat(post(web, "/api/password-reset/confirm", reset).statusCode())
        .as("used")
        .isEqualTo(400);
    assertThat(
            post(web, "/api/password-reset/confirm", reset.copy().put("token", second))
                .statusCode())
        .as("revoked")
        .isEqualTo(400);
  }

  /** The whole life of an account, as the issue asking for it lists it, through one process. */
  @Test
  void registerVerifyLogInForgetResetChangeLogOutEverywhereAndDelete() throws Exception {
    assertThat(post(web, "/api/accounts", ALICE).statusCode()).isEqualTo(201);
    assertThat(
            post(
                    web,
                    "/api/accounts/verification",
                    new JsonObject().put("token", mailedToken(0, "alice@example.com")))
                .statusCode())
        .isEqualTo(204);
    WebClientSession laptop = WebClientSession.create(web);
    assertThat(post(laptop, "/api/session", ALICE).bodyAsJsonObject().getBoolean("verified"))
        .isTrue();

    assertThat(
            post(web, "/api/password-reset", new JsonObject().put("email", "alice@example.com"))
                .statusCode())
        .isEqualTo(202);
    String reset = mailedToken(1, "alice@example.com", "Reset your password", "reset");
    assertThat(
            post(
                    web,
                    "/api/password-reset/confirm",
                    new JsonObject().put("token", reset).put("password", "second horse"))
                .statusCode())
        .isEqualTo(204);
    await("the laptop's session ended")
        .atMost(Duration.ofSeconds(5))
        .until(() -> me(laptop) == 401);

    JsonObject second = ALICE.copy().put("password", "second horse");
    WebClientSession phone = WebClientSession.create(web);
    assertThat(post(phone, "/api/session", second).statusCode()).isEqualTo(200);
    assertThat(post(laptop, "/api/session", second).statusCode()).isEqualTo(200);
    assertThat(
            phone
                .put("/api/me/password")
                .sendJsonObject(
                    new JsonObject()
                        .put("currentPassword", "second horse")
                        .put("password", "third horse"))
                .await()
                .statusCode())
        .isEqualTo(204);
    await("the laptop's session ended")
        .atMost(Duration.ofSeconds(5))
        .until(() -> me(laptop) == 401);
    assertThat(me(phone)).isEqualTo(200);

    JsonObject third = ALICE.copy().put("password", "third horse");
    assertThat(post(laptop, "/api/session", third).statusCode()).isEqualTo(200);
    assertThat(delete(phone, "/api/me/sessions")).isEqualTo(204);
    await("every session ended")
        .atMost(Duration.ofSeconds(5))
        .until(() -> me(laptop) == 401 && me(phone) == 401);

    assertThat(post(phone, "/api/session", third).statusCode()).isEqualTo(200);
    assertThat(deleteAccount(phone, "third horse")).isEqualTo(204);
    assertThat(post(web, "/api/session", third).statusCode()).isEqualTo(401);
  }

  @Test
  void aMailedLinkVerifiesTheAddressOnceAndTheTokenIsNeverLogged() throws Exception {
    assertThat(web.get("/dev/mail").send().await().statusCode())
        .as("no dev page with an SMTP server")
        .isEqualTo(404);
    HttpResponse<Buffer> registered = post(web, "/api/accounts", ALICE);
    assertThat(registered.statusCode()).isEqualTo(201);
    assertThat(registered.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("login", "alice")
                .put("email", "alice@example.com")
                .put("verified", false));
    String token = mailedToken(0, "alice@example.com");

    WebClientSession before = WebClientSession.create(web);
    assertThat(post(before, "/api/session", ALICE).statusCode()).isEqualTo(200);
    assertThat(before.get("/api/me").send().await().bodyAsJsonObject().getBoolean("verified"))
        .isFalse();

    assertThat(
            post(web, "/api/accounts/verification", new JsonObject().put("token", token))
                .statusCode())
        .isEqualTo(204);
    HttpResponse<Buffer> again =
        post(web, "/api/accounts/verification", new JsonObject().put("token", token));
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(again.bodyAsJsonObject().getString("message")).contains("unknown or was used");

    WebClientSession after = WebClientSession.create(web);
    assertThat(post(after, "/api/session", ALICE).statusCode()).isEqualTo(200);
    assertThat(after.get("/api/me").send().await().bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("login", "alice")
                .put("email", "alice@example.com")
                .put("verified", true));

    assertThat(logged.messages()).noneMatch(line -> line.contains(token));
  }

  @Test
  void withoutAnSmtpServerTheMailAndItsLinkAreInTheLogAndOnTheDevPage() {
    Application dev = running.start();
    WebClient onDev = running.webClient(dev);
    assertThat(post(onDev, "/api/accounts", ALICE).statusCode()).isEqualTo(201);
    assertThat(logged.messages())
        .anyMatch(line -> line.contains("to alice@example.com") && LINK.matcher(line).find());
    JsonObject kept =
        onDev
            .get("/dev/mail")
            .send()
            .await()
            .bodyAsJsonObject()
            .getJsonArray("mails")
            .getJsonObject(0);
    assertThat(kept.getString("to")).isEqualTo("alice@example.com");
    assertThat(LINK.matcher(kept.getString("text")).find()).isTrue();
  }

  @Test
  void aNewLinkCanBeAskedForWhileTheAddressIsUnverifiedAndTheOldOneStopsWorking() throws Exception {
    assertThat(post(web, "/api/accounts", ALICE).statusCode()).isEqualTo(201);
    String first = mailedToken(0, "alice@example.com");
    assertThat(post(web, "/api/accounts/verification/resend", new JsonObject()).statusCode())
        .as("not logged in")
        .isEqualTo(401);
    WebClientSession browser = WebClientSession.create(web);
    assertThat(post(browser, "/api/session", ALICE).statusCode()).isEqualTo(200);

    assertThat(post(browser, "/api/accounts/verification/resend", new JsonObject()).statusCode())
        .isEqualTo(202);
    String second = mailedToken(1, "alice@example.com");

    assertThat(
            post(web, "/api/accounts/verification", new JsonObject().put("token", first))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            post(web, "/api/accounts/verification", new JsonObject().put("token", second))
                .statusCode())
        .isEqualTo(204);
    assertThat(post(browser, "/api/accounts/verification/resend", new JsonObject()).statusCode())
        .as("verified")
        .isEqualTo(409);
    int max = app.config().json().getInteger(Setting.LOGIN_MAX_FAILURES.name());
    for (int i = 2; i < max; i++) {
      post(browser, "/api/accounts/verification/resend", new JsonObject());
    }
    assertThat(post(browser, "/api/accounts/verification/resend", new JsonObject()).statusCode())
        .as("limited")
        .isEqualTo(429);
  }

  @Test
  void whenSetSoAnUnverifiedAddressKeepsItsAccountFromLoggingIn() throws Exception {
    Application strict =
        running.start(settings -> mailingTo(settings).put(Setting.UNVERIFIED_LOGIN.name(), false));
    WebClient onStrict = running.webClient(strict);
    assertThat(post(onStrict, "/api/accounts", ALICE).statusCode()).isEqualTo(201);
    String token = mailedToken(0, "alice@example.com", "Confirm your address", "verify");
    HttpResponse<Buffer> refused = post(onStrict, "/api/session", ALICE);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.bodyAsJsonObject().getString("message"))
        .contains("confirm your email address");
    JsonObject noAddress = new JsonObject().put("login", "bob").put("password", "correct horse");
    assertThat(post(onStrict, "/api/accounts", noAddress).statusCode()).isEqualTo(201);
    assertThat(post(onStrict, "/api/session", noAddress).statusCode())
        .as("no address to confirm")
        .isEqualTo(200);

    assertThat(
            post(onStrict, "/api/accounts/verification", new JsonObject().put("token", token))
                .statusCode())
        .isEqualTo(204);
    assertThat(post(onStrict, "/api/session", ALICE).statusCode()).isEqualTo(200);
  }

  @Test
  void resetRequestsAreLimitedLikeFailedLoginsAndAreRefusedAsCrossSiteForms() {
    JsonObject address = new JsonObject().put("email", "alice@example.com");
    int max = app.config().json().getInteger(Setting.LOGIN_MAX_FAILURES.name());
    for (int i = 0; i < max; i++) {
      assertThat(post(web, "/api/password-reset", address).statusCode()).isEqualTo(202);
    }
    HttpResponse<Buffer> limited = post(web, "/api/password-reset", address);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.getHeader("Retry-After")).isNotBlank();

    // What a form on another site can send: not JSON, so refused before anything happens (CSRF).
    for (String path :
        new String[] {
          "/api/password-reset", "/api/password-reset/confirm", "/api/accounts/verification"
        }) {
      assertThat(
              web.post(path)
                  .putHeader("Content-Type", "application/x-www-form-urlencoded")
                  .sendBuffer(Buffer.buffer("email=alice%40example.com"))
                  .await()
                  .statusCode())
          .as(path)
          .isEqualTo(415);
    }
  }

  @Test
  void anAddressBelongsToOneAccountIgnoringCaseAndMustLookLikeOne() {
    assertThat(post(web, "/api/accounts", ALICE).statusCode()).isEqualTo(201);
    JsonObject bob = new JsonObject().put("login", "bob").put("password", "correct horse");
    HttpResponse<Buffer> taken =
        post(web, "/api/accounts", bob.copy().put("email", "ALICE@example.com"));
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(taken.bodyAsJsonObject().getString("message")).contains("another account");
    assertThat(post(web, "/api/accounts", bob.copy().put("email", "not an address")).statusCode())
        .isEqualTo(400);
    assertThat(
            post(web, "/api/accounts", bob.copy().put("email", new JsonObject().put("$ne", null)))
                .statusCode())
        .isEqualTo(400);
    assertThat(post(web, "/api/accounts", bob).statusCode())
        .as("an address is optional")
        .isEqualTo(201);
    assertThat(
            post(
                    web,
                    "/api/accounts",
                    new JsonObject()
                        .put("login", "alice")
                        .put("password", "correct horse")
                        .put("email", "carol@example.com"))
                .statusCode())
        .as("a taken login")
        .isEqualTo(409);
    assertThat(
            post(
                    web,
                    "/api/accounts",
                    new JsonObject()
                        .put("login", "carol")
                        .put("password", "correct horse")
                        .put("email", "carol@example.com"))
                .statusCode())
        .as("the address was given back")
        .isEqualTo(201);
  }

  @Test
  void aDeletedAccountGivesBackItsAddressAndItsLinksStopWorking() throws Exception {
    assertThat(post(web, "/api/accounts", ALICE).statusCode()).isEqualTo(201);
    String token = mailedToken(0, "alice@example.com");
    WebClientSession browser = WebClientSession.create(web);
    assertThat(post(browser, "/api/session", ALICE).statusCode()).isEqualTo(200);

    assertThat(deleteAccount(browser, "correct horse")).isEqualTo(204);

    assertThat(
            post(web, "/api/accounts/verification", new JsonObject().put("token", token))
                .statusCode())
        .isEqualTo(400);
    assertThat(post(web, "/api/accounts", ALICE.copy().put("login", "carol")).statusCode())
        .isEqualTo(201);
  }

  @Test
  void anExpiredTokenIsGoneAndAMalformedOneIsRefused() throws Exception {
    post(web, "/api/accounts", ALICE);
    String token = mailedToken(0, "alice@example.com");
    MongoClient database = TestConfig.database(running.client(), app.verticleConfig());
    StoredDocuments.expireNow(database, "tokens", new JsonObject());

    assertThat(
            post(web, "/api/accounts/verification", new JsonObject().put("token", token))
                .statusCode())
        .isEqualTo(410);
    assertThat(
            post(web, "/api/accounts/verification", new JsonObject().put("token", "x"))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            post(
                    web,
                    "/api/accounts/verification",
                    new JsonObject().put("token", new JsonObject().put("$ne", null)))
                .statusCode())
        .isEqualTo(400);
  }
}
