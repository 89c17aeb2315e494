package com.example.starter.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, one per person in a test, each with its own profile (so its own
 * cookies). When a test fails, each browser's screen is saved to {@code target/screenshots} before
 * the browsers close.
 */
public final class Browsers implements TestExecutionExceptionHandler, AfterEachCallback {

  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final Map<String, ChromeDriver> open = new LinkedHashMap<>();
  private final List<Path> profiles = new ArrayList<>();

  /** Skips the test on a machine without Chromium; CI must have it, so there it fails instead. */
  public static void assumeInstalled() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String message =
        "the browser test needs "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + "; install with: apt-get install -y chromium chromium-driver";
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(message);
    }
    Assumptions.assumeTrue(false, message);
  }

  public ChromeDriver open(String name) {
    Path profile = tempDirectory(name);
    profiles.add(profile);
    // Both paths given: Selenium Manager, which would try to download a driver, never runs.
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(CHROMIUM.toString())
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1080",
                "--user-data-dir=" + profile);
    ChromeDriver driver = new ChromeDriver(service, options);
    open.put(name, driver);
    return driver;
  }

  public void screenshot(ChromeDriver driver, String fileName) {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.copy(
          shot.toPath(),
          SCREENSHOTS.resolve(fileName + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    String test = context.getRequiredTestMethod().getName();
    open.forEach(
        (name, driver) -> {
          try {
            screenshot(driver, test + "-" + name);
          } catch (WebDriverException | UncheckedIOException e) {
            failure.addSuppressed(e);
          }
        });
    throw failure;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    open.values().forEach(ChromeDriver::quit);
    open.clear();
    profiles.forEach(Browsers::delete);
    profiles.clear();
  }

  private static Path tempDirectory(String name) {
    try {
      return Files.createTempDirectory("chromium-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
