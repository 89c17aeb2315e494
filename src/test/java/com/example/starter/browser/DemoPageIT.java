package com.example.starter.browser;

import com.example.starter.Application;
import com.example.starter.TestConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo page in real browsers against the whole application: what a newcomer does first. */
class DemoPageIT {

  private static final String PASSWORD = "correct horse battery";

  @RegisterExtension
  final Browsers browsers = new Browsers();

  @TempDir
  Path dataDir;

  private Application app;

  @BeforeEach
  void start() {
    Browsers.assumeInstalled();
    app = Application.start(TestConfig.overrides(dataDir)).await();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop().await();
    }
  }

  /** The chat's default allowed origins are the http server's own, by name and by loopback address. */
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
    // The server agrees, whatever cookie the browser still holds: a refused handshake is all a browser sees.
    assertThat(alice.rawChatSocket("lobby")).isEqualTo("closed 1006");

    bob.say("still there?");
    bob.waitForMessage("bob", "still there?");
    assertThat(alice.messages()).containsExactly("alice: hello bob <b>& co</b>", "bob: hi alice");
  }

  private record Devices(DemoPage laptop, DemoPage phone) {
  }

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

    assertThat(alice.laptop().changePassword("not the password", "battery staple")).contains("password is wrong");
    assertThat(alice.laptop().changePassword(PASSWORD, "battery staple")).contains("Password changed");
    assertThat(alice.phone().waitForChatClosed()).contains("session ended");
    assertThat(alice.laptop().whoami()).isEqualTo("alice");

    assertThat(alice.laptop().deleteAccount("battery staple")).contains("account is deleted");
    assertThat(alice.laptop().whoami()).isEmpty();
    assertThat(alice.laptop().register("alice", PASSWORD)).as("the login is free again").contains("created");
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
