package io.paybridge.platform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * JDK 25's ahead-of-time cache (JEP 483, 514) for services run from their executable jars: classes
 * loaded and linked once, at a service's first run, and mapped from the cache at the next starts.
 *
 * <p>A cache applies to one class path, so each jar is first extracted as Spring Boot prescribes
 * ({@code java -Djarmode=tools -jar … extract}) into {@code <directory>/<service>/<fingerprint>},
 * the fingerprint being the jar's content (every entry's name, size and CRC) and the JDK's version:
 * a jar rebuilt with the same content keeps its cache, a changed one gets a new extraction. The
 * first run of an extraction records ({@code -XX:AOTCacheOutput}) and the JVM writes the cache when
 * the service stops; later runs use it ({@code -XX:AOTCache}). The JVM ignores a cache it cannot
 * use, and a jar that cannot be extracted runs as it is: nothing here can stop a service starting.
 */
public final class AotCache {

  private static final String CACHE_FILE = "app.aot";

  private final Path directory;

  /** Caches kept under {@code directory} (for example {@code local-stack/target/aot}). */
  public AotCache(Path directory) {
    this.directory = directory;
  }

  /** How a service's JVM is launched: its options before the jar, and the jar. */
  public record Launch(List<String> jvmOptions, Path jar, boolean recording) {}

  /** The launch of {@code jar} for service {@code name}, extracting it on first use. */
  public Launch launch(String name, Path jar) {
    try {
      Path extraction = directory.resolve(name).resolve(fingerprint(jar));
      Path application = extraction.resolve("application");
      Path extractedJar = application.resolve(jar.getFileName());
      if (!Files.exists(extractedJar) && !extract(jar, application)) {
        return new Launch(List.of(), jar, false);
      }
      removeOthers(directory.resolve(name), extraction);
      Path cache = extraction.resolve(CACHE_FILE);
      if (Files.isRegularFile(cache) && Files.size(cache) > 0) {
        return new Launch(List.of("-XX:AOTCache=" + cache), extractedJar, false);
      }
      return new Launch(List.of("-XX:AOTCacheOutput=" + cache), extractedJar, true);
    } catch (IOException | UncheckedIOException e) {
      return new Launch(List.of(), jar, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Launch(List.of(), jar, false);
    }
  }

  /** Spring Boot's extracted layout: the application's jar next to {@code lib/}. */
  private static boolean extract(Path jar, Path destination)
      throws IOException, InterruptedException {
    Path partial = destination.resolveSibling("partial-" + UUID.randomUUID());
    Files.createDirectories(partial.getParent());
    var extraction =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djarmode=tools",
                "-jar",
                jar.toString(),
                "extract",
                "--destination",
                partial.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!extraction.waitFor(2, TimeUnit.MINUTES) || extraction.exitValue() != 0) {
      extraction.destroyForcibly();
      delete(partial);
      return false;
    }
    try {
      Files.move(partial, destination);
      return true;
    } catch (IOException e) {
      // Another stack extracted it at the same moment: theirs is as good.
      delete(partial);
      return Files.exists(destination.resolve(jar.getFileName()));
    }
  }

  /** Older extractions of a service: a cache per content is enough. */
  private static void removeOthers(Path service, Path keep) throws IOException {
    try (var extractions = Files.list(service)) {
      for (Path other : extractions.filter(path -> !path.equals(keep)).toList()) {
        delete(other);
      }
    }
  }

  private static String fingerprint(Path jar) throws IOException {
    try (var zip = new ZipFile(jar.toFile())) {
      var digest = MessageDigest.getInstance("SHA-256");
      digest.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
      zip.stream()
          .forEach(
              entry ->
                  digest.update(
                      (entry.getName() + ':' + entry.getSize() + ':' + entry.getCrc() + '\n')
                          .getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void delete(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(each);
      }
    } catch (IOException e) {
      // left for the next clean
    }
  }
}
