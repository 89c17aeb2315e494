package com.example.starter;

import ch.qos.logback.classic.LoggerContext;
import com.example.starter.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar starter.jar}: starts the configured roles and stops them gracefully on SIGTERM.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** Time beyond the grace period for undeploying, closing the database and leaving the cluster. */
  private static final int STOP_MARGIN_SECONDS = 5;

  private Main() {}

  public static void main(String[] args) {
    Application app;
    try {
      app = Application.start(new JsonObject()).await();
    } catch (Exception e) {
      exitCannotStart(e);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(app), "shutdown"));
  }

  /** Says why the start failed (a bad setting in one line) and exits: 2 for a setting, else 1. */
  public static void exitCannotStart(Exception e) {
    if (e instanceof ConfigException) {
      LOG.error("Cannot start: {}", e.getMessage());
    } else {
      LOG.error("Cannot start: {}", e.getMessage(), e);
    }
    flushLogs();
    System.exit(e instanceof ConfigException ? 2 : 1);
  }

  private static void stop(Application app) {
    LOG.info("Stopping");
    try {
      app.stop().await(app.config().shutdownGraceSeconds() + STOP_MARGIN_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.warn("Stop did not finish in time; exiting anyway");
    } catch (RuntimeException e) {
      LOG.warn("Stop failed", e);
    }
    flushLogs();
  }

  /** Console logging is asynchronous: drain it before the JVM goes. */
  public static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.stop();
    }
  }
}
