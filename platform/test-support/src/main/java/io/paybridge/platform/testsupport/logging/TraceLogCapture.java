package io.paybridge.platform.testsupport.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Every logger of the JVM at TRACE (root and every logger with a level of its own;
 * java.util.logging follows through Spring Boot's level propagator), and everything logged or
 * printed to {@code System.out}/{@code err} written to a file: each event's formatted message, MDC,
 * key-value pairs and whole throwable. The console appenders are paused meanwhile, as the same
 * events at TRACE would flood the build output. {@link #close} puts levels, appenders and streams
 * back, so the suite's shared context runs on as before.
 */
public final class TraceLogCapture implements AutoCloseable {

  private final Path file;
  private final OutputStream out;
  private final LoggerContext context;
  private final Logger root;
  private final Map<Logger, Level> levels = new LinkedHashMap<>();
  private final List<Appender<ILoggingEvent>> paused = new ArrayList<>();
  private final CapturingAppender appender = new CapturingAppender();
  private final PrintStream systemOut = System.out;
  private final PrintStream systemErr = System.err;
  private boolean closed;

  private TraceLogCapture(Path file) throws IOException {
    this.file = file;
    this.out = new BufferedOutputStream(Files.newOutputStream(file));
    this.context = (LoggerContext) LoggerFactory.getILoggerFactory();
    this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** Starts capturing into {@code file} (replaced). */
  public static TraceLogCapture start(Path file) {
    try {
      var capture = new TraceLogCapture(file);
      capture.begin();
      return capture;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void begin() {
    appender.setContext(context);
    appender.setName("trace-capture");
    appender.start();
    root.iteratorForAppenders().forEachRemaining(paused::add);
    paused.forEach(root::detachAppender);
    root.addAppender(appender);
    for (Logger logger : context.getLoggerList()) {
      if (logger.getLevel() != null) {
        levels.put(logger, logger.getLevel());
        logger.setLevel(Level.TRACE);
      }
    }
    System.setOut(new PrintStream(tee(systemOut), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(tee(systemErr), true, StandardCharsets.UTF_8));
  }

  /** The captured lines (after {@link #close}). */
  public Stream<String> lines() {
    try {
      return Files.lines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    System.setOut(systemOut);
    System.setErr(systemErr);
    levels.forEach(Logger::setLevel);
    root.detachAppender(appender);
    paused.forEach(root::addAppender);
    appender.stop();
    synchronized (out) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void write(String text) {
    synchronized (out) {
      try {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private OutputStream tee(PrintStream original) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        original.write(b);
        synchronized (out) {
          try {
            out.write(b);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        original.write(bytes, offset, length);
        synchronized (out) {
          try {
            out.write(bytes, offset, length);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    };
  }

  private final class CapturingAppender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      var line = new StringBuilder();
      line.append(event.getLevel())
          .append(' ')
          .append(event.getLoggerName())
          .append(" [")
          .append(event.getThreadName())
          .append("] ")
          .append(event.getFormattedMessage());
      if (!event.getMDCPropertyMap().isEmpty()) {
        line.append(" mdc=").append(event.getMDCPropertyMap());
      }
      if (event.getKeyValuePairs() != null && !event.getKeyValuePairs().isEmpty()) {
        line.append(" kv=").append(event.getKeyValuePairs());
      }
      line.append('\n');
      if (event.getThrowableProxy() != null) {
        line.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
      }
      write(line.toString());
    }
  }
}
