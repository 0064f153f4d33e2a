package io.paybridge.platform.outbox.retention;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A {@link RetentionKind} of rows of one table, old by one timestamp column, optionally only those
 * a condition keeps removable (for example a delivery no open case still needs). Deletes a batch
 * per statement with {@code for update skip locked}: instances running the job at the same time
 * share the work instead of waiting on each other.
 *
 * <p>The table, the column and the condition are the declaring service's code, never input: they
 * are checked to be plain identifiers (the condition is SQL the service writes).
 */
public final class TableRetention implements RetentionKind {

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  private final String name;
  private final Duration defaultPeriod;
  private final JdbcTemplate jdbc;
  private final String delete;
  private final int batchSize;
  // null, or the delete with a change of the rows that refer to the deleted ones
  private final String deleteWithReferences;

  /**
   * @param name the kind's name ({@link RetentionKind#name()})
   * @param defaultPeriod how long rows are kept unless configured
   * @param jdbc the service's database
   * @param table the table whose rows are removed
   * @param timestampColumn the row's age: rows whose value is before the cutoff go (null: kept)
   * @param condition a further SQL condition on the table's row (alias {@code r}) that a row must
   *     meet to go, or {@code null}
   * @param batchSize rows per statement
   */
  public TableRetention(
      String name,
      Duration defaultPeriod,
      JdbcTemplate jdbc,
      String table,
      String timestampColumn,
      String condition,
      int batchSize) {
    if (!IDENTIFIER.matcher(table).matches() || !IDENTIFIER.matcher(timestampColumn).matches()) {
      throw new IllegalArgumentException(
          "Not plain identifiers: " + table + ", " + timestampColumn);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
    }
    this.name = name;
    this.defaultPeriod = defaultPeriod;
    this.jdbc = jdbc;
    this.batchSize = batchSize;
    this.deleteWithReferences = null;
    // ctid: any table, whatever its key; the row is re-checked under its lock by the outer delete.
    this.delete =
        "delete from "
            + table
            + " where ctid in (select r.ctid from "
            + table
            + " r where r."
            + timestampColumn
            + " < ?"
            + (condition == null ? "" : " and (" + condition + ")")
            + " order by r."
            + timestampColumn
            + " limit ? for update skip locked)";
  }

  private TableRetention(TableRetention retention, String deleteWithReferences) {
    this.name = retention.name;
    this.defaultPeriod = retention.defaultPeriod;
    this.jdbc = retention.jdbc;
    this.batchSize = retention.batchSize;
    this.delete = retention.delete;
    this.deleteWithReferences = deleteWithReferences;
  }

  /**
   * This retention, which also sets to null what another table's rows hold of each removed row's
   * {@code key}, in the statement that removes it: a foreign key's {@code on delete set null}, for
   * a reference kept without a foreign key (one costs a lookup and a row lock of the referenced row
   * for every referencing row written).
   *
   * @param referencingTable the table whose rows hold the reference
   * @param referencingColumn its column that holds it
   * @param key the column of this retention's table it refers to
   */
  public TableRetention unlinking(String referencingTable, String referencingColumn, String key) {
    return withReferences(
        referencingTable,
        referencingColumn,
        key,
        "update " + referencingTable + " set " + referencingColumn + " = null");
  }

  /**
   * This retention, which also deletes another table's rows that hold a removed row's {@code key},
   * in the statement that removes it: a foreign key's {@code on delete cascade}, for rows kept
   * without one (an unlogged table cannot reference a logged one).
   *
   * @param referencingTable the table whose rows hold the reference
   * @param referencingColumn its column that holds it
   * @param key the column of this retention's table it refers to
   */
  public TableRetention alsoDeleting(
      String referencingTable, String referencingColumn, String key) {
    return withReferences(
        referencingTable, referencingColumn, key, "delete from " + referencingTable);
  }

  private TableRetention withReferences(
      String referencingTable, String referencingColumn, String key, String change) {
    if (!IDENTIFIER.matcher(referencingTable).matches()
        || !IDENTIFIER.matcher(referencingColumn).matches()
        || !IDENTIFIER.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "Not plain identifiers: " + referencingTable + ", " + referencingColumn + ", " + key);
    }
    // Both statements of a data-modifying WITH run once, whatever the outer query reads.
    return new TableRetention(
        this,
        "with gone as ("
            + delete
            + " returning "
            + key
            + "), referencing as ("
            + change
            + " where "
            + referencingColumn
            + " in (select "
            + key
            + " from gone) returning 1) select count(*) from gone");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Duration defaultPeriod() {
    return defaultPeriod;
  }

  @Override
  public long deleteOlderThan(Instant cutoff) {
    var before = Timestamp.from(cutoff);
    long total = 0;
    while (true) {
      int count =
          deleteWithReferences == null
              ? jdbc.update(delete, before, batchSize)
              : jdbc.queryForObject(deleteWithReferences, Integer.class, before, batchSize);
      total += count;
      if (count < batchSize) {
        return total;
      }
    }
  }

  @Override
  public String toString() {
    return "TableRetention[" + name + "]";
  }
}
