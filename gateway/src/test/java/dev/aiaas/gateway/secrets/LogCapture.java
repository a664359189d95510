package dev.aiaas.gateway.secrets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Records every log event of a test class, as text (formatted message, MDC and throwable), from
 * the root logger. Register it before {@code RunningPlatform} ({@code @Order}) so the platform's
 * startup is recorded too. The application's own loggers are raised to DEBUG meanwhile, so what an
 * operator would see with debug logging on is checked as well.
 */
public final class LogCapture implements BeforeAllCallback, AfterAllCallback {

  private static final String APPLICATION_LOGGER = "dev.aiaas";

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Recorder recorder = new Recorder();
  private Level previousApplicationLevel;

  @Override
  public void beforeAll(ExtensionContext context) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger application = (Logger) LoggerFactory.getLogger(APPLICATION_LOGGER);
    previousApplicationLevel = application.getLevel();
    application.setLevel(Level.DEBUG);
    recorder.setContext(root.getLoggerContext());
    recorder.setName("secrets-log-capture");
    recorder.start();
    root.addAppender(recorder);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(recorder);
    recorder.stop();
    ((Logger) LoggerFactory.getLogger(APPLICATION_LOGGER)).setLevel(previousApplicationLevel);
  }

  /** Everything logged so far, one entry per event. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  private final class Recorder extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      StringBuilder text = new StringBuilder()
          .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ").append(event.getFormattedMessage());
      event.getMDCPropertyMap().forEach((k, v) -> text.append(" [").append(k).append('=').append(v).append(']'));
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        text.append('\n').append(ThrowableProxyUtil.asString(thrown));
      }
      lines.add(text.toString());
    }
  }
}
