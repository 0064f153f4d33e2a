package io.paybridge.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs src/test/node/validate.mjs: Kubernetes and Prometheus Operator JSON schemas, and
 * Prometheus's PromQL grammar, from npm packages pinned by src/test/node/package-lock.json. They
 * are installed once into target/node-checks ({@code npm ci}, from the npm registry); Node.js and
 * npm must be on the PATH.
 */
final class NodeChecks {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path SOURCE = Path.of("src/test/node").toAbsolutePath();
  private static final Path WORK = Path.of("target/node-checks").toAbsolutePath();
  private static boolean installed;

  private NodeChecks() {}

  /** The problems found in {@code manifests} and {@code expressions} ([where, PromQL] pairs). */
  static synchronized List<String> problems(
      List<JsonNode> manifests, List<List<String>> expressions) {
    try {
      install();
      Path input = Files.createTempFile(WORK, "input", ".json");
      JSON.writeValue(input.toFile(), Map.of("manifests", manifests, "expressions", expressions));
      String out = run(List.of("node", "validate.mjs", input.getFileName().toString()), 120);
      var problems = new ArrayList<String>();
      JSON.readTree(out).forEach(p -> problems.add(p.asString()));
      Files.delete(input);
      return problems;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void install() throws IOException {
    if (installed) {
      return;
    }
    Files.createDirectories(WORK);
    boolean changed = false;
    for (String file : List.of("package.json", "package-lock.json", "validate.mjs")) {
      Path target = WORK.resolve(file);
      if (!Files.exists(target) || Files.mismatch(SOURCE.resolve(file), target) != -1) {
        Files.copy(SOURCE.resolve(file), target, StandardCopyOption.REPLACE_EXISTING);
        changed |= !file.endsWith(".mjs");
      }
    }
    if (changed || !Files.isDirectory(WORK.resolve("node_modules"))) {
      run(
          List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"),
          300);
    }
    installed = true;
  }

  private static String run(List<String> command, int seconds) throws IOException {
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(false).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          command.get(0) + " (Node.js) is needed for the schema checks", e);
    }
    try {
      process.getOutputStream().close();
      var stderr = new String[1];
      Thread drain =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      stderr[0] =
                          new String(
                              process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                      stderr[0] = e.toString();
                    }
                  });
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish in " + seconds + " s");
      }
      drain.join();
      if (process.exitValue() != 0) {
        throw new IllegalStateException(command + " failed: " + stderr[0]);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
