package io.paybridge.platform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * the fingerprint being the jar's content (every entry's name, size and CRC), the JDK's version and
 * the JVM's options: a jar rebuilt with the same content keeps its cache, a changed one gets a new
 * extraction. The first run of an extraction records ({@code -XX:AOTCacheOutput}); the JVM writes
 * what it recorded when asked to ({@link ServiceProcess#writeAotCache}) or else as it stops, into a
 * file of its own that becomes the cache only once complete ({@link Launch#keep()}), so a recording
 * cut short is never used. Later runs use the cache ({@code -XX:AOTCache}). The JVM ignores a cache
 * it cannot use, and a jar that cannot be extracted runs as it is: nothing here can stop a service
 * starting.
 */
public final class AotCache {

  private static final String CACHE_FILE = "app.aot";

  /**
   * Where a recording JVM writes (a name per run: two stacks may record the same jar at once);
   * renamed to {@link #CACHE_FILE} once written whole.
   */
  private static final String RECORDING_FILE = "app.aot.recording-";

  private final Path directory;

  /** Caches kept under {@code directory} (for example {@code local-stack/target/aot}). */
  public AotCache(Path directory) {
    this.directory = directory;
  }

  /** What a launch does with the cache. */
  public enum Mode {
    /** Classes loaded and linked from the cache recorded by an earlier run of the same jar. */
    USING,
    /** No cache for this jar yet (first run, or the jar changed): this run records one. */
    RECORDING,
    /** The jar could not be extracted: it runs as it is, without a cache. */
    NONE
  }

  /**
   * How a service's JVM is launched: its options before the jar, and the jar; {@code recording} and
   * {@code cache} are where a recording run writes and where its cache is kept.
   */
  public record Launch(List<String> jvmOptions, Path jar, Mode mode, Path recording, Path cache) {

    static Launch without(Path jar) {
      return new Launch(List.of(), jar, Mode.NONE, null, null);
    }

    public boolean records() {
      return mode == Mode.RECORDING;
    }

    /**
     * Makes what a recording run wrote the cache of the next runs; returns whether there was a
     * whole recording to keep (the JVM has finished writing it: after {@code AOT.end_recording}
     * returned, or after the JVM exited).
     */
    public boolean keep() {
      if (!records()) {
        return false;
      }
      try {
        Files.deleteIfExists(recording.resolveSibling(recording.getFileName() + ".config"));
        if (!Files.isRegularFile(recording) || Files.size(recording) == 0) {
          return false;
        }
        Files.move(
            recording, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  /**
   * The launch of {@code jar} for service {@code name} run with {@code jvmOptions}, extracting it
   * on first use.
   */
  public Launch launch(String name, Path jar, List<String> jvmOptions) {
    try {
      Path extraction = directory.resolve(name).resolve(fingerprint(jar, jvmOptions));
      Path application = extraction.resolve("application");
      Path extractedJar = application.resolve(jar.getFileName());
      if (!Files.exists(extractedJar) && !extract(jar, application)) {
        return Launch.without(jar);
      }
      removeOthers(directory.resolve(name), extraction);
      Path cache = extraction.resolve(CACHE_FILE);
      if (Files.isRegularFile(cache) && Files.size(cache) > 0) {
        return new Launch(List.of("-XX:AOTCache=" + cache), extractedJar, Mode.USING, null, cache);
      }
      Path recording = extraction.resolve(RECORDING_FILE + UUID.randomUUID());
      return new Launch(
          List.of("-XX:AOTCacheOutput=" + recording),
          extractedJar,
          Mode.RECORDING,
          recording,
          cache);
    } catch (IOException | UncheckedIOException e) {
      return Launch.without(jar);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Launch.without(jar);
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

  /**
   * The jar's content, the JDK's version and the JVM options (a cache recorded with other options,
   * another garbage collector for one, may be refused or only partly used).
   */
  private static String fingerprint(Path jar, List<String> jvmOptions) throws IOException {
    try (var zip = new ZipFile(jar.toFile())) {
      var digest = MessageDigest.getInstance("SHA-256");
      digest.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
      digest.update(String.join(" ", jvmOptions).getBytes(StandardCharsets.UTF_8));
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
