package io.paybridge.platform.web.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the data a service handles out of its log, whatever the log levels: below INFO, libraries
 * that move data log the data itself (the PostgreSQL driver its bound parameters, Debezium the
 * captured row, Tomcat and Jetty the request bytes, Spring the bodies it reads and writes, Kafka
 * clients the records), which would put payers' details into logs. Events below INFO from those
 * loggers are dropped before they are formatted; INFO and above pass (warnings and errors stay
 * visible). {@code PayerDataNeverLoggedIT} (webhook-ingest) and {@code PayerDataAndPsd2IT}
 * (billing) run with every logger at TRACE and find no payer data in the log.
 */
public final class DataLogGuard extends TurboFilter implements AutoCloseable {

  private final List<String> prefixes;
  private final LoggerContext context;

  private DataLogGuard(List<String> prefixes, LoggerContext context) {
    this.prefixes = List.copyOf(prefixes);
    this.context = context;
  }

  /** Installs the guard in the JVM's Logback context for the given logger name prefixes. */
  public static DataLogGuard install(List<String> prefixes) {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var guard = new DataLogGuard(prefixes, context);
    guard.setName("paybridge-data-log-guard");
    guard.setContext(context);
    guard.start();
    context.addTurboFilter(guard);
    return guard;
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // Libraries ask isDebugEnabled()/isTraceEnabled() on every record and row they move, and a
    // turbo filter is asked first: a level the logger would refuse anyway is left to Logback
    // without looking at the name (this check alone was a few percent of a busy relay's CPU).
    if (level == null
        || level.isGreaterOrEqual(Level.INFO)
        || logger == null
        || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    String name = logger.getName();
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }

  /** Removes the guard (the context closing). */
  @Override
  public void close() {
    context.getTurboFilterList().remove(this);
    stop();
  }
}
