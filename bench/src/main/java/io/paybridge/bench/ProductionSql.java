package io.paybridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The statement webhook-ingest-service runs per group of webhooks and its schema, read from the
 * production sources at run time (the classes are package-private to the service, and copying the
 * statements would let the baseline drift from what the service does). Fails loudly when a
 * statement cannot be found.
 */
record ProductionSql(String insertGroup) {

  static final String INGESTION =
      "webhook-ingest-service/src/main/java/io/paybridge/webhookingest/webhook/WebhookRepository.java";
  static final String OUTBOX_WRITER =
      "platform/outbox/src/main/java/io/paybridge/platform/outbox/OutboxWriter.java";

  /**
   * Where the service's migrations are (Flyway locations): the platform's tables, then the
   * service's, as the service's classpath gives them to Flyway.
   */
  static final String[] MIGRATIONS = {
    "filesystem:platform/outbox/src/main/resources/db/migration",
    "filesystem:platform/operations-support/src/main/resources/db/migration",
    "filesystem:webhook-ingest-service/src/main/resources/db/migration"
  };

  static ProductionSql read(Path root) {
    String ingestion = text(root.resolve(INGESTION));
    String writer = text(root.resolve(OUTBOX_WRITER));
    // As WebhookRepository.INSERT_GROUP composes its text blocks and OutboxWriter.insertWhereIdIn
    // the outbox's.
    return new ProductionSql(
        textBlock(ingestion, "INSERT_GROUP", INGESTION)
            .formatted(
                textBlock(ingestion, "INSERT_DELIVERIES", INGESTION),
                textBlock(ingestion, "INSERT_NEW_EVENTS", INGESTION),
                textBlock(writer, "INSERT_WHERE", OUTBOX_WRITER)
                    .formatted("e.id in (select event_id from inbox)")));
  }

  private static String textBlock(String source, String constant, String file) {
    var matcher =
        Pattern.compile("\\b" + constant + "\\s*=\\s*\"\"\"\\s*\\n(.*?)\"\"\"", Pattern.DOTALL)
            .matcher(source);
    if (!matcher.find()) {
      throw new IllegalStateException("No text block " + constant + " in " + file);
    }
    return matcher.group(1).stripIndent().strip();
  }

  private static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Run the benchmark from the repository root (cannot read " + file + ")", e);
    }
  }
}
