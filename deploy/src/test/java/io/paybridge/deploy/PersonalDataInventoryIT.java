package io.paybridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * The personal data inventory (docs/data-inventory.yaml, explained in docs/data-protection.md)
 * classifies every column that PayBridge's services keep: each service's migrations (its own and
 * those of the platform libraries it uses) are applied to a fresh database of the embedded
 * PostgreSQL, and every column found there must be classified, and every classified column must
 * exist. A migration that adds a column fails this test until the inventory says what it holds.
 */
class PersonalDataInventoryIT {

  static final String INVENTORY = "docs/data-inventory.yaml";
  static final Set<String> CLASSIFICATIONS = Set.of("none", "pseudonymous", "personal", "secret");
  static final Set<String> TABLE_KEYS = Set.of("purpose", "retention", "access", "columns");
  static final String MIGRATIONS = "src/main/resources/db/migration";

  @Test
  void everyServiceWithMigrationsIsInTheInventoryAndNothingElse() {
    Set<String> listed = new TreeSet<>();
    services().propertyNames().forEach(listed::add);
    assertThat(listed)
        .as(
            "the services of %s (a service whose module has %s must be listed under services:)",
            INVENTORY, MIGRATIONS)
        .isEqualTo(new TreeSet<>(modulesWithMigrations()));
  }

  @Test
  void theInventoryIsWellFormed() {
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> sections = new LinkedHashMap<>();
    services().properties().forEach(e -> sections.put(e.getKey(), e.getValue()));
    platform().properties().forEach(e -> sections.put("platform " + e.getKey(), e.getValue()));
    for (var service : sections.entrySet()) {
      JsonNode tables = service.getValue().path("tables");
      if (!tables.isObject() || tables.isEmpty()) {
        problems.add(service.getKey() + ": no tables:");
        continue;
      }
      for (var table : tables.properties()) {
        String where = service.getKey() + " table " + table.getKey();
        table.getValue().propertyNames().stream()
            .filter(key -> !TABLE_KEYS.contains(key))
            .forEach(key -> problems.add(where + ": unknown key " + key));
        for (String key : List.of("purpose", "retention", "access")) {
          if (table.getValue().path(key).asString("").isBlank()) {
            problems.add(where + ": " + key + " is missing");
          }
        }
        for (var column : table.getValue().path("columns").properties()) {
          String value = column.getValue().asString("");
          if (!CLASSIFICATIONS.contains(value)) {
            problems.add(
                where
                    + " column "
                    + column.getKey()
                    + ": '"
                    + value
                    + "' is not one of "
                    + new TreeSet<>(CLASSIFICATIONS));
          }
        }
      }
    }
    assertThat(problems).as(INVENTORY).isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everyColumnOfEveryServiceIsClassified() {
    return modulesWithMigrations().stream()
        .map(module -> DynamicTest.dynamicTest(module, () -> checkColumns(module)));
  }

  private static void checkColumns(String module) throws SQLException {
    List<Path> locations = migrationLocations(module);
    Map<String, Set<String>> actual = columnsAfterMigrating(module, locations);
    JsonNode tables = services().path(module).path("tables");
    List<JsonNode> platformTables =
        platformModules(module).stream().map(lib -> platform().path(lib).path("tables")).toList();

    Map<String, List<String>> unclassified = new TreeMap<>();
    actual.forEach(
        (table, columns) ->
            columns.stream()
                .filter(
                    column ->
                        !tables.path(table).path("columns").has(column)
                            && platformTables.stream()
                                .noneMatch(t -> t.path(table).path("columns").has(column)))
                .forEach(
                    column ->
                        unclassified.computeIfAbsent(table, t -> new ArrayList<>()).add(column)));

    List<String> stale = new ArrayList<>();
    List<JsonNode> classified = new ArrayList<>(platformTables);
    classified.add(tables);
    for (JsonNode section : classified) {
      for (var table : section.properties()) {
        for (String column : table.getValue().path("columns").propertyNames()) {
          if (!actual.getOrDefault(table.getKey(), Set.of()).contains(column)) {
            stale.add(table.getKey() + "." + column);
          }
        }
      }
    }

    assertThat(unclassified)
        .as(() -> unclassifiedMessage(module, locations, tables, unclassified))
        .isEmpty();
    assertThat(stale)
        .as(
            "%s classifies columns that %s's migrations do not create (a column renamed or dropped:"
                + " remove or rename its entry under services.%s.tables, or platform.<library>.tables"
                + " for a platform table)",
            INVENTORY, module, module)
        .isEmpty();
  }

  /** The platform libraries with migrations that the module uses ({@code outbox}). */
  static List<String> platformModules(String module) {
    return Pattern.compile("<artifactId>platform-([a-z-]+)</artifactId>")
        .matcher(Repository.read(module + "/pom.xml"))
        .results()
        .map(m -> m.group(1))
        .filter(
            lib ->
                Files.isDirectory(
                    Repository.ROOT.resolve("platform").resolve(lib).resolve(MIGRATIONS)))
        .distinct()
        .toList();
  }

  /** What to add, ready to paste, and the migration that (probably) added each column. */
  private static String unclassifiedMessage(
      String module, List<Path> locations, JsonNode tables, Map<String, List<String>> missing) {
    var text = new StringBuilder();
    text.append(module)
        .append(" keeps columns that ")
        .append(INVENTORY)
        .append(" does not classify. Add under services.")
        .append(module)
        .append(
            ".tables (a table of a platform migration: under platform.<library>.tables), classifying each column as one of none | pseudonymous | personal | secret")
        .append(
            " (meanings at the top of the file), and describe the table in docs/data-protection.md:\n");
    missing.forEach(
        (table, columns) -> {
          for (String column : columns) {
            text.append("  - ")
                .append(table)
                .append('.')
                .append(column)
                .append("  (added by ")
                .append(addedBy(locations, table, column))
                .append(")\n");
          }
          text.append("\n    ").append(table).append(":\n");
          if (tables.path(table).isMissingNode()) {
            text.append("      purpose: <why it is kept>\n")
                .append("      retention: <how long, and what removes it>\n")
                .append("      access: <who can read it>\n");
          }
          text.append("      columns:\n");
          for (String column : columns) {
            text.append("        ").append(column).append(": <classification>\n");
          }
        });
    return text.toString();
  }

  /** The first migration, in version order, that names both the table and the column. */
  private static String addedBy(List<Path> locations, String table, String column) {
    Pattern tableWord = Pattern.compile("\\b" + Pattern.quote(table) + "\\b");
    Pattern columnWord = Pattern.compile("\\b" + Pattern.quote(column) + "\\b");
    String found = "a migration of " + locations;
    for (Path file : migrationFiles(locations).reversed()) {
      String sql = readString(file);
      if (tableWord.matcher(sql).find() && columnWord.matcher(sql).find()) {
        found = Repository.ROOT.relativize(file).toString();
      }
    }
    return found;
  }

  private static Map<String, Set<String>> columnsAfterMigrating(String module, List<Path> locations)
      throws SQLException {
    String database = "inventory_" + EmbeddedPostgresServer.databaseNameFor(module);
    var dataSource = EmbeddedPostgresServer.shared().dataSource(database);
    Flyway.configure()
        .dataSource(dataSource)
        .locations(locations.stream().map(p -> "filesystem:" + p).toArray(String[]::new))
        // The platform's V0_x come after a service's V1 on a live database; here all run in order.
        .outOfOrder(true)
        .load()
        .migrate();
    Map<String, Set<String>> columns = new TreeMap<>();
    try (var connection = dataSource.getConnection();
        var statement =
            connection.prepareStatement(
                "select c.table_name, c.column_name from information_schema.columns c"
                    + " join information_schema.tables t"
                    + " on t.table_schema = c.table_schema and t.table_name = c.table_name"
                    + " where c.table_schema = 'public' and t.table_type = 'BASE TABLE'"
                    + " and c.table_name <> 'flyway_schema_history'"
                    + " order by c.table_name, c.ordinal_position");
        var rows = statement.executeQuery()) {
      while (rows.next()) {
        columns
            .computeIfAbsent(rows.getString(1), t -> new LinkedHashSet<>())
            .add(rows.getString(2));
      }
    }
    return columns;
  }

  /** The module's own migrations and those of the platform libraries its pom names. */
  static List<Path> migrationLocations(String module) {
    List<Path> locations = new ArrayList<>();
    platformModules(module).stream()
        .map(lib -> Repository.ROOT.resolve("platform").resolve(lib).resolve(MIGRATIONS))
        .forEach(locations::add);
    locations.add(Repository.ROOT.resolve(module).resolve(MIGRATIONS));
    return locations;
  }

  /** The reactor's modules outside platform/ that keep a database (they have migrations). */
  static List<String> modulesWithMigrations() {
    return Repository.modules().stream()
        .filter(m -> !m.startsWith("platform/"))
        .filter(m -> Files.isDirectory(Repository.ROOT.resolve(m).resolve(MIGRATIONS)))
        .toList();
  }

  private static List<Path> migrationFiles(List<Path> locations) {
    Map<String, Path> byVersion = new TreeMap<>(PersonalDataInventoryIT::compareVersions);
    for (Path location : locations) {
      try (var files = Files.list(location)) {
        files
            .filter(p -> p.getFileName().toString().matches("V[0-9_.]+__.*\\.sql"))
            .forEach(p -> byVersion.put(version(p), p));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ArrayList<>(byVersion.values());
  }

  private static String version(Path file) {
    String name = file.getFileName().toString();
    return name.substring(1, name.indexOf("__"));
  }

  private static int compareVersions(String a, String b) {
    String[] x = a.split("[_.]");
    String[] y = b.split("[_.]");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      long p = i < x.length ? Long.parseLong(x[i]) : 0;
      long q = i < y.length ? Long.parseLong(y[i]) : 0;
      if (p != q) {
        return Long.compare(p, q);
      }
    }
    return 0;
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode platform() {
    return Repository.yaml(INVENTORY).path("platform");
  }

  private static JsonNode services() {
    JsonNode services = Repository.yaml(INVENTORY).path("services");
    assertThat(services.isObject()).as(INVENTORY + " has services:").isTrue();
    return services;
  }

  /** Unused keys would hide a typo: the file's top level holds only these. */
  @Test
  void theInventorysTopLevelIsKnown() {
    Map<String, Object> unknown = new LinkedHashMap<>();
    Repository.yaml(INVENTORY)
        .properties()
        .forEach(
            e -> {
              if (!Set.of("classifications", "platform", "services").contains(e.getKey())) {
                unknown.put(e.getKey(), e.getValue());
              }
            });
    assertThat(unknown).as(INVENTORY + " top-level keys").isEmpty();
    assertThat(new TreeSet<>(Repository.yaml(INVENTORY).path("classifications").propertyNames()))
        .as("the classifications explained in " + INVENTORY)
        .isEqualTo(new TreeSet<>(CLASSIFICATIONS));
  }
}
