package io.paybridge.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Locates the GoCardless reference examples and client fixtures: the copy kept with these tests
 * (src/test/resources/gocardless), or another copy named by {@code paybridge.shared.dir}.
 */
final class SharedDocs {
  private SharedDocs() {}

  static Path gocardless() {
    String configured =
        System.getProperty("paybridge.shared.dir", System.getenv("PAYBRIDGE_SHARED_DIR"));
    List<Path> candidates =
        configured != null
            ? List.of(Path.of(configured, "gocardless"))
            : List.of(Path.of("src/test/resources/gocardless"));
    for (Path candidate : candidates) {
      if (Files.isDirectory(candidate.resolve("examples"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "shared/gocardless not found (looked at " + candidates + "); set -Dpaybridge.shared.dir");
  }

  static Path examples() {
    return gocardless().resolve("examples");
  }

  static Path fixtures() {
    return examples().resolve("fixtures/gocardless-pro-python");
  }
}
