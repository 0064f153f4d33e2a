package io.paybridge.platform.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Searches every column of every table of a service's schema for a text, for tests that show a
 * value is nowhere (an erased payer's data, an encrypted column's plaintext): text, JSON and other
 * columns by their text form, {@code bytea} by their bytes (UTF-8).
 */
public final class ColumnSearch {

  private ColumnSearch() {}

  /**
   * Every {@code table.column} of the current schema whose value in some row contains {@code text}.
   */
  public static List<String> columnsContaining(DataSource database, String text) {
    try (Connection connection = database.getConnection()) {
      List<String[]> columns = new ArrayList<>();
      try (var statement =
              connection.prepareStatement(
                  """
                  select c.table_name, c.column_name, c.data_type from information_schema.columns c
                  join information_schema.tables t
                    on t.table_schema = c.table_schema and t.table_name = c.table_name
                  where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
                  order by c.table_name, c.ordinal_position
                  """);
          var rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
        }
      }
      List<String> found = new ArrayList<>();
      for (String[] column : columns) {
        String quoted = "\"" + column[1].replace("\"", "\"\"") + "\"";
        String condition =
            "bytea".equals(column[2])
                ? "position(convert_to(?, 'UTF8') in " + quoted + ") > 0"
                : "strpos(" + quoted + "::text, ?) > 0";
        try (var statement =
            connection.prepareStatement(
                "select exists (select 1 from \""
                    + column[0].replace("\"", "\"\"")
                    + "\" where "
                    + condition
                    + ")")) {
          statement.setString(1, text);
          try (var rows = statement.executeQuery()) {
            rows.next();
            if (rows.getBoolean(1)) {
              found.add(column[0] + "." + column[1]);
            }
          }
        }
      }
      return found;
    } catch (SQLException e) {
      throw new IllegalStateException("Could not search the database's columns", e);
    }
  }
}
