package com.example.starter.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.Application;
import com.example.starter.TestConfig;
import com.example.starter.config.Setting;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The demo page in real browsers against the whole application: what a newcomer does first. */
class DemoPageIT {

  private static final String PASSWORD = "correct horse battery";
  private static final Pattern LINK = Pattern.compile("/(verify|reset)\\?token=[A-Za-z0-9_-]{43}");

  @RegisterExtension final Browsers browsers = new Browsers();

  @TempDir Path dataDir;

  private Application app;
  private GreenMail smtp;

  @BeforeEach
  void start() {
    Browsers.assumeInstalled();
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    app =
        Application.start(
                TestConfig.overrides(dataDir)
                    .put(Setting.MAIL_HOST.name(), "127.0.0.1")
                    .put(Setting.MAIL_PORT.name(), smtp.getSmtp().getPort()))
            .await();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop().await();
    }
    if (smtp != null) {
      smtp.stop();
    }
  }

  /**
   * The link in mail number {@code index} (from 0), as a path: the page's own port is not known to
   * the mail.
   */
  private String mailedLink(int index) {
    assertThat(smtp.waitForIncomingEmail(10_000, index + 1)).isTrue();
    Matcher link = LINK.matcher(GreenMailUtil.getBody(smtp.getReceivedMessages()[index]));
    assertThat(link.find()).isTrue();
    return link.group();
  }

  /**
   * The chat's default allowed origins are the http server's own, by name and by loopback address.
   */
  private DemoPage open(String person) {
    return new DemoPage(browsers.open(person), "http://127.0.0.1:" + app.httpPort() + "/");
  }

  @Test
  void twoPeopleChatInARoomAndALoggedOutOneIsRefused() {
    DemoPage alice = open("alice");
    DemoPage bob = open("bob");
    assertThat(alice.whoami()).isEmpty();

    assertThat(alice.register("alice", PASSWORD)).contains("created");
    alice.logIn("alice", PASSWORD);
    assertThat(bob.register("alice", PASSWORD)).contains("'alice' is taken");
    assertThat(bob.register("bob", PASSWORD)).contains("created");
    bob.logIn("bob", PASSWORD);

    assertThat(alice.join("Lobby!")).isEqualTo("error");
    assertThat(alice.chatStatus()).contains("room name");
    assertThat(alice.join("lobby")).isEqualTo("ok");
    assertThat(bob.join("lobby")).isEqualTo("ok");

    alice.say("hello bob <b>& co</b>");
    bob.waitForMessage("alice", "hello bob <b>& co</b>");
    alice.waitForMessage("alice", "hello bob <b>& co</b>");
    bob.say("hi alice");
    alice.waitForMessage("bob", "hi alice");
    browsers.screenshot(alice.driver(), "demo-page");

    alice.logOut();
    assertThat(alice.chatState()).isEqualTo("idle");
    assertThat(alice.join("lobby")).isEqualTo("refused");
    assertThat(alice.chatStatus()).contains("log in");
    // The server agrees, whatever cookie the browser still holds: a refused handshake is all a
    // browser sees.
    assertThat(alice.rawChatSocket("lobby")).isEqualTo("closed 1006");

    bob.say("still there?");
    bob.waitForMessage("bob", "still there?");
    assertThat(alice.messages()).containsExactly("alice: hello bob <b>& co</b>", "bob: hi alice");
  }

  @Test
  void theApiPageShowsEveryOperationOfTheContract() throws Exception {
    List<String> contract = Files.readAllLines(Path.of("src/main/resources/openapi.yaml"));
    long operations =
        contract.stream().filter(line -> line.trim().startsWith("operationId:")).count();
    String title =
        contract.stream()
            .filter(line -> line.startsWith("  title: "))
            .findFirst()
            .orElseThrow()
            .substring(9);
    ChromeDriver reader = browsers.open("reader");
    reader.get("http://127.0.0.1:" + app.httpPort() + "/api-docs");

    new WebDriverWait(reader, Duration.ofSeconds(20))
        .withMessage("Swagger UI to list the operations")
        .until(driver -> driver.findElements(By.cssSelector(".opblock")).size() == operations);
    assertThat(reader.getCurrentUrl()).endsWith("/api-docs/");
    assertThat(reader.findElement(By.cssSelector(".info .title")).getText()).contains(title);
    browsers.screenshot(reader, "api-docs");
  }

  private record Devices(DemoPage laptop, DemoPage phone) {}

  /** Registers alice, and logs her in on two browsers. */
  private Devices aliceOnTwoBrowsers() {
    Devices devices = new Devices(open("alice"), open("alice-phone"));
    assertThat(devices.laptop().register("alice", PASSWORD)).contains("created");
    devices.laptop().logIn("alice", PASSWORD);
    devices.phone().logIn("alice", PASSWORD);
    return devices;
  }

  @Test
  void loggingOutEverywhereEndsTheSessionOfEveryBrowser() {
    Devices alice = aliceOnTwoBrowsers();
    assertThat(alice.laptop().join("lobby")).isEqualTo("ok");

    alice.phone().logOutEverywhere();

    assertThat(alice.laptop().waitForChatClosed()).contains("session ended");
    assertThat(alice.laptop().rawChatSocket("lobby")).isEqualTo("closed 1006");
    assertThat(alice.laptop().join("lobby")).isEqualTo("refused");
  }

  @Test
  void aChangedPasswordLogsOutTheOtherBrowserAndADeletedAccountIsGone() {
    Devices alice = aliceOnTwoBrowsers();
    assertThat(alice.phone().join("lobby")).isEqualTo("ok");

    assertThat(alice.laptop().changePassword("not the password", "battery staple"))
        .contains("password is wrong");
    assertThat(alice.laptop().changePassword(PASSWORD, "battery staple"))
        .contains("Password changed");
    assertThat(alice.phone().waitForChatClosed()).contains("session ended");
    assertThat(alice.laptop().whoami()).isEqualTo("alice");

    assertThat(alice.laptop().deleteAccount("battery staple")).contains("account is deleted");
    assertThat(alice.laptop().whoami()).isEmpty();
    assertThat(alice.laptop().register("alice", PASSWORD))
        .as("the login is free again")
        .contains("created");
  }

  @Test
  void anAddressIsConfirmedAndAForgottenPasswordResetThroughMailedLinks() {
    DemoPage alice = open("alice");
    assertThat(alice.register("alice", PASSWORD, "alice@example.com"))
        .contains("alice@example.com is on its way");

    assertThat(alice.follow(mailedLink(0))).contains("address is confirmed");
    assertThat(alice.address()).as("the token left the address bar").doesNotContain("token");

    alice.load();
    assertThat(alice.forgotPassword("alice@example.com")).contains("reset link is on its way");
    String reset = mailedLink(1);
    assertThat(alice.reset(reset, "short")).contains("8 to 128 characters");
    assertThat(alice.reset(reset, "battery staple horse")).contains("password is set");

    alice.load();
    alice.logIn("alice", "battery staple horse");
    assertThat(alice.whoami()).isEqualTo("alice");
  }

  @Test
  void theEchoAnswersEachMessageAndHangsUpOnClose() {
    DemoPage page = open("echo");

    page.connectEcho();
    page.echo("hi");
    page.waitForEchoAnswer("hi/answer");
    page.echo("close");

    assertThat(page.waitForEchoClosed()).contains("closed normally");
    assertThat(page.echoAnswers()).containsExactly("hi/answer");
  }
}
