package com.example.starter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one logger writes while a test runs: {@code try (LogCapture log = LogCapture.of(Some.class))
 * {...}}.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Level previousLevel;
  private boolean levelChanged;

  private LogCapture(Logger logger) {
    this.logger = logger;
    events.start();
    logger.addAppender(events);
  }

  public static LogCapture of(Class<?> source) {
    return new LogCapture((Logger) LoggerFactory.getLogger(source));
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture((Logger) LoggerFactory.getLogger(loggerName));
  }

  /** The same, with DEBUG lines too, for as long as the capture lasts. */
  public static LogCapture ofEverything(Class<?> source) {
    return ofEverything(source.getName());
  }

  /** Every line of a logger and those below it ({@code com.example.starter}), DEBUG too. */
  public static LogCapture ofEverything(String loggerName) {
    return atLevel(loggerName, Level.DEBUG);
  }

  /** The lines of {@code loggerName} from {@code level} up, whatever the logger's configuration. */
  public static LogCapture atLevel(String loggerName, Level level) {
    LogCapture capture = of(loggerName);
    capture.previousLevel = capture.logger.getLevel();
    capture.levelChanged = true;
    capture.logger.setLevel(level);
    return capture;
  }

  /** Lines at this level or above. */
  public List<String> messages(Level atLeast) {
    return events.list.stream()
        .filter(event -> event.getLevel().isGreaterOrEqual(atLeast))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** The events so far, with their level, stack and MDC. */
  public List<ILoggingEvent> events() {
    // The appender appends under its own lock.
    synchronized (events) {
      return List.copyOf(events.list);
    }
  }

  /** The formatted messages so far. */
  public List<String> messages() {
    return events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /**
   * Each message with the MDC value of {@code key} it was logged with: {@code "message [value]"}.
   */
  public List<String> messagesWithMdc(String key) {
    return events.list.stream()
        .map(event -> event.getFormattedMessage() + " [" + event.getMDCPropertyMap().get(key) + "]")
        .toList();
  }

  @Override
  public void close() {
    logger.detachAppender(events);
    if (levelChanged) {
      logger.setLevel(previousLevel);
    }
  }
}
