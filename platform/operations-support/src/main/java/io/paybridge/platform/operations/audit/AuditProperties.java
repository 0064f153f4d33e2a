package io.paybridge.platform.operations.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit log ({@code paybridge.audit.*}).
 *
 * @param retention how long an audit entry is kept; older entries are deleted by the retention job
 *     (400 days: a year of audits plus a quarter to answer questions about it)
 * @param retentionInterval how often the retention job runs (on every instance; deleting is
 *     idempotent)
 * @param retentionBatch most entries one delete statement removes, so that a first run over a large
 *     backlog holds no long locks
 */
@ConfigurationProperties("paybridge.audit")
public record AuditProperties(
    @DefaultValue("400d") Duration retention,
    @DefaultValue("1h") Duration retentionInterval,
    @DefaultValue("10000") int retentionBatch) {

  public AuditProperties {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("paybridge.audit.retention must be positive");
    }
    if (retentionInterval.isNegative() || retentionInterval.isZero()) {
      throw new IllegalArgumentException("paybridge.audit.retention-interval must be positive");
    }
    if (retentionBatch < 1) {
      throw new IllegalArgumentException("paybridge.audit.retention-batch must be at least 1");
    }
  }
}
