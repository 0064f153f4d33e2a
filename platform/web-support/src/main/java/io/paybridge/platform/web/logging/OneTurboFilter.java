package io.paybridge.platform.web.logging;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;

/**
 * Leaves out Micrometer's Logback metrics ({@code logback_events_total}) in every service, so that
 * {@link DataLogGuard} is Logback's only turbo filter. A turbo filter is asked before every level
 * check, {@code isDebugEnabled()} included, which Jetty, Netty, Kafka and Debezium make many times
 * per request or record; with two or more, Logback walks its filter list each time. That was 7.6 %
 * of webhook-ingest's CPU samples while it refused thousands of deliveries a second, 4.2 % with the
 * guard alone (docs/benchmarks.md, 2026-12-01). Nothing in PayBridge reads {@code
 * logback_events_total}.
 */
public final class OneTurboFilter implements AutoConfigurationImportFilter {

  static final String LOGBACK_METRICS =
      "org.springframework.boot.micrometer.metrics.autoconfigure.logging.logback"
          + ".LogbackMetricsAutoConfiguration";

  @Override
  public boolean[] match(String[] candidates, AutoConfigurationMetadata metadata) {
    boolean[] kept = new boolean[candidates.length];
    for (int i = 0; i < candidates.length; i++) {
      kept[i] = !LOGBACK_METRICS.equals(candidates[i]);
    }
    return kept;
  }
}
