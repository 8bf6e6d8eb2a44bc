package kv.broker.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jline.reader.LineReader;
import org.slf4j.LoggerFactory;

/**
 * While the interactive prompt is open, log lines (e.g. a server going DOWN) are printed above
 * the line being edited instead of through the console appender, so they never garble it.
 * {@link #install} swaps this appender in for the root logger's console appenders and
 * {@link #close} swaps them back. Thread-safe (JLine's printAbove is).
 */
final class PromptLogAppender extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final LineReader reader;
  private final PatternLayout layout = new PatternLayout();
  private final Logger root;
  private final List<Appender<ILoggingEvent>> replaced = new ArrayList<>();

  private PromptLogAppender(LineReader reader, LoggerContext context) {
    this.reader = reader;
    this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    setContext(context);
    setName("PROMPT");
    layout.setContext(context);
    layout.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    layout.start();
  }

  /** Routes the root logger's console output above the prompt; a no-op without Logback. */
  static AutoCloseable install(LineReader reader) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return () -> { };
    }
    PromptLogAppender appender = new PromptLogAppender(reader, context);
    for (Iterator<Appender<ILoggingEvent>> it = appender.root.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> a = it.next();
      if (a instanceof ch.qos.logback.core.ConsoleAppender) {
        appender.replaced.add(a);
      }
    }
    appender.start();
    appender.root.addAppender(appender);
    for (Appender<ILoggingEvent> a : appender.replaced) {
      appender.root.detachAppender(a);
    }
    return appender;
  }

  @Override
  protected void append(ILoggingEvent event) {
    String text = layout.doLayout(event);
    reader.printAbove(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
  }

  @Override
  public void close() {
    for (Appender<ILoggingEvent> a : replaced) {
      root.addAppender(a);
    }
    root.detachAppender(this);
    stop();
  }
}
