package com.example.starter.browser;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page as one person in one browser sees it, through the ids the page gives its elements.
 */
public final class DemoPage {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Set<String> SETTLED = Set.of("ok", "error", "refused");

  private final ChromeDriver driver;
  private final String url;
  private final WebDriverWait wait;

  public DemoPage(ChromeDriver driver, String url) {
    this.driver = driver;
    this.url = url;
    this.wait = new WebDriverWait(driver, WAIT);
    wait.ignoring(StaleElementReferenceException.class);
    driver.manage().timeouts().scriptTimeout(WAIT);
    load();
  }

  /** (Re)opens the demo page, as after following a link elsewhere. */
  void load() {
    driver.get(url);
    wait.withMessage("the page to ask who is logged in")
        .until(
            ExpectedConditions.not(
                ExpectedConditions.textToBe(By.id("whoami"), "Checking session…")));
  }

  /**
   * Opens a mailed link ({@code /verify?token=…}) in this browser and answers what its page says.
   */
  String follow(String link) {
    driver.get(url.replaceAll("/$", "") + link);
    return settled("token-status");
  }

  /** Opens a mailed reset link, sets this password there, and answers what the page says. */
  String reset(String link, String password) {
    driver.get(url.replaceAll("/$", "") + link);
    type("reset-password-input", password);
    click("reset-btn");
    return settled("token-status");
  }

  String address() {
    return driver.getCurrentUrl();
  }

  String forgotPassword(String email) {
    type("forgot-email-input", email);
    click("forgot-btn");
    return settled("account-status");
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Registers and answers what the page then says. */
  public String register(String login, String password) {
    return register(login, password, "");
  }

  String register(String login, String password, String email) {
    fillCredentials(login, password);
    type("email-input", email);
    click("register-btn");
    return settled("account-status");
  }

  public void logIn(String login, String password) {
    fillCredentials(login, password);
    click("login-btn");
    waitForLogin(login);
  }

  void logOut() {
    click("logout-btn");
    waitForLogin("");
  }

  /** Changes the password and answers what the page then says. */
  String changePassword(String current, String next) {
    type("current-password-input", current);
    type("new-password-input", next);
    click("change-password-btn");
    return settled("account-status");
  }

  /** Deletes the account and answers what the page then says. */
  String deleteAccount(String password) {
    type("delete-password-input", password);
    click("delete-account-btn");
    return settled("account-status");
  }

  void logOutEverywhere() {
    click("logout-all-btn");
    waitForLogin("");
  }

  /** Waits until the chat is no longer in a room, and answers what the page says. */
  String waitForChatClosed() {
    wait.withMessage(() -> "the chat to close, page says: " + chatStatus())
        .until(page -> !"ok".equals(chatState()));
    return chatStatus();
  }

  String whoami() {
    return driver.findElement(By.id("whoami")).getDomAttribute("data-login");
  }

  /** Asks to join and answers the state the chat then shows: ok, error or refused. */
  public String join(String room) {
    type("room-input", room);
    click("join-btn");
    settled("chat-status");
    return chatState();
  }

  public String chatStatus() {
    return text("chat-status");
  }

  public String chatState() {
    return driver.findElement(By.id("chat-status")).getDomAttribute("data-state");
  }

  public void say(String text) {
    type("chat-input", text);
    click("chat-send");
  }

  /** The chat as {@code from: text} lines, read in one go so the list cannot change half-way. */
  @SuppressWarnings("unchecked")
  public List<String> messages() {
    return (List<String>)
        driver.executeScript(
            "return Array.from(document.querySelectorAll('#chat-log li.msg'),"
                + " li => li.dataset.from + ': ' + li.querySelector('.msg-text').textContent);");
  }

  public void waitForMessage(String from, String text) {
    String line = from + ": " + text;
    wait.withMessage(
            () -> "chat line '" + line + "' among " + messages() + " (" + chatStatus() + ")")
        .until(page -> messages().contains(line));
  }

  void connectEcho() {
    click("echo-connect");
    wait.withMessage("the echo to connect")
        .until(ExpectedConditions.elementToBeClickable(By.id("echo-send")));
  }

  void echo(String text) {
    type("echo-input", text);
    click("echo-send");
  }

  @SuppressWarnings("unchecked")
  List<String> echoAnswers() {
    return (List<String>)
        driver.executeScript(
            "return Array.from(document.querySelectorAll('#echo-log li.in .text'), node => node.textContent);");
  }

  void waitForEchoAnswer(String text) {
    wait.withMessage(() -> "echo answer '" + text + "' among " + echoAnswers())
        .until(page -> echoAnswers().contains(text));
  }

  /** Waits until the echo socket is closed and answers what the page says about it. */
  String waitForEchoClosed() {
    wait.withMessage("the echo to close")
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("echo-connect")));
    return driver.findElement(By.id("echo-status")).getText();
  }

  /**
   * Opens a chat socket from this page by hand, with whatever cookie the browser holds, bypassing
   * the page's own checks; answers {@code open}, or {@code closed <code>} when the server refuses.
   */
  String rawChatSocket(String room) {
    return (String)
        driver.executeAsyncScript(
            "const room = arguments[0], done = arguments[arguments.length - 1];"
                + "fetch('/page-config.json').then(response => response.json()).then(config => {"
                + "  const socket = new WebSocket('ws://' + location.hostname + ':' + config.wsPort + '/ws/chat?room=' + room);"
                + "  socket.onopen = () => { socket.close(); done('open'); };"
                + "  socket.onclose = event => done('closed ' + event.code);"
                + "});",
            room);
  }

  private void waitForLogin(String login) {
    wait.withMessage(() -> "logged in as '" + login + "', page says: " + text("account-status"))
        .until(page -> login.equals(whoami()));
  }

  /** Waits for a status line to leave its busy state, and answers its words. */
  private String settled(String id) {
    WebElement status = driver.findElement(By.id(id));
    wait.withMessage(() -> id + " to settle, it says: " + status.getText())
        .until(page -> SETTLED.contains(status.getDomAttribute("data-state")));
    return status.getText();
  }

  private void fillCredentials(String login, String password) {
    type("login-input", login);
    type("password-input", password);
  }

  private void type(String id, String text) {
    WebElement input = driver.findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  private void click(String id) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  private String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }
}
