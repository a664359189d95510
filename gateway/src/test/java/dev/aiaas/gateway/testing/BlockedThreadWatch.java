package dev.aiaas.gateway.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects Vert.x's blocked-thread warnings while a test class runs, so the fixture can fail a
 * class whose code blocked an event loop (invariant: the event loop never blocks).
 */
final class BlockedThreadWatch extends AppenderBase<ILoggingEvent> {

  private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";

  private final List<String> warnings = new CopyOnWriteArrayList<>();

  static BlockedThreadWatch install() {
    BlockedThreadWatch watch = new BlockedThreadWatch();
    Logger checker = (Logger) LoggerFactory.getLogger(CHECKER);
    watch.setContext(checker.getLoggerContext());
    watch.start();
    checker.addAppender(watch);
    return watch;
  }

  @Override
  protected void append(ILoggingEvent event) {
    warnings.add(event.getFormattedMessage());
  }

  /** Detaches and returns what was seen. */
  List<String> uninstall() {
    ((Logger) LoggerFactory.getLogger(CHECKER)).detachAppender(this);
    stop();
    return List.copyOf(warnings);
  }
}
