package io.paybridge.oauth.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Masks the credentials that arrive inside HTTP requests before any appender sees a log event: the
 * authorisation code in GoCardless's redirect ({@code /oauth/callback?code=…}) and the bearer token
 * of an {@code Authorization} header. OAuth puts the code in the URL, and Tomcat (the raw request
 * at DEBUG), Spring Security and the DispatcherServlet (request lines at DEBUG/TRACE) log it with
 * the rest of the request; nothing in this service can keep it out of those messages, so they are
 * rewritten here, whatever the levels. Secrets this service sends itself are kept out of logs where
 * they are handled instead (see {@code GoCardlessClient}).
 */
@Component
class RequestCredentialRedaction implements DisposableBean {

  static final String MASK = "(redacted)";

  /** A {@code code} query parameter; not {@code errorCode=} or {@code status_code=}. */
  private static final Pattern CODE = Pattern.compile("(?<![\\w.-])code=[^&\\s\"'<>\\[\\](),;]+");

  private static final Pattern AUTHORIZATION =
      Pattern.compile("(?i)(authorization:\\s*(?:bearer|basic)\\s+)[^\\s\"'<>\\[\\](),;]+");

  private final Filter filter = new Filter();
  private final LoggerContext context;
  private final Reinstall reinstall = new Reinstall();

  RequestCredentialRedaction() {
    this.context =
        LoggerFactory.getILoggerFactory() instanceof LoggerContext logback ? logback : null;
    if (context != null) {
      filter.setName(RequestCredentialRedaction.class.getName());
      filter.start();
      context.addTurboFilter(filter);
      // A reset (a reconfiguration: logback's scan of a changed file, or Spring Boot initialising
      // logging again) drops every turbo filter; the redaction must survive it.
      context.addListener(reinstall);
    }
  }

  /** {@code text} with every request credential masked (the same instance when there is none). */
  static String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    if (result.contains("code=")) {
      result = CODE.matcher(result).replaceAll("code=" + MASK);
    }
    if (result.contains("uthorization")) {
      result = AUTHORIZATION.matcher(result).replaceAll("$1" + MASK);
    }
    return result.equals(text) ? text : result;
  }

  @Override
  public void destroy() {
    if (context != null) {
      context.removeListener(reinstall);
      context.getTurboFilterList().remove(filter);
      filter.stop();
    }
  }

  /** Puts the filter back after the logger context was reset. */
  private final class Reinstall implements LoggerContextListener {

    @Override
    public boolean isResetResistant() {
      return true;
    }

    @Override
    public void onReset(LoggerContext resetContext) {
      if (!resetContext.getTurboFilterList().contains(filter)) {
        resetContext.addTurboFilter(filter);
      }
    }

    @Override
    public void onStart(LoggerContext startedContext) {}

    @Override
    public void onStop(LoggerContext stoppedContext) {}

    @Override
    public void onLevelChange(Logger logger, Level level) {}
  }

  /**
   * Replaces an enabled event that carries a request credential by the same event with it masked.
   * Turbo filters run before any appender, so no appender ever receives the original.
   */
  static final class Filter extends TurboFilter {

    @Override
    public FilterReply decide(
        Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
      // Turbo filters see every call, also those below the logger's level: format nothing then.
      if (format == null || level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
        return FilterReply.NEUTRAL;
      }
      var formatted = MessageFormatter.arrayFormat(format, params);
      String message = formatted.getMessage();
      String redacted = redact(message);
      if (redacted == message) {
        return FilterReply.NEUTRAL;
      }
      logger.log(
          marker,
          Logger.FQCN,
          Level.toLocationAwareLoggerInteger(level),
          redacted,
          null,
          t != null ? t : formatted.getThrowable());
      return FilterReply.DENY;
    }
  }
}
