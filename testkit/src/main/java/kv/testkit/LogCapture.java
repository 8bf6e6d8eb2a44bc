package kv.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Collects what one logger (and the loggers under it) logs while open. Thread-safe. */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  /** Captures the logger of {@code type}. */
  public LogCapture(Class<?> type) {
    this(type.getName());
  }

  public LogCapture(String name) {
    logger = (Logger) LoggerFactory.getLogger(name);
    appender.start();
    logger.addAppender(appender);
  }

  // ListAppender adds under its own lock (AppenderBase.doAppend is synchronized), so read under it.

  /** Every message, formatted, in order. */
  public List<String> messages() {
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }
  }

  /** The messages logged at WARN or above. */
  public List<String> warnings() {
    synchronized (appender) {
      return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
