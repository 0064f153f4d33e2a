package io.paybridge.platform.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a benchmark or a fault run says about the machine it ran on (results are only comparable on
 * the same kind of machine), read from {@code /proc}, {@code /etc/os-release} and a few commands.
 * Every reading answers {@code "?"} rather than failing the run.
 */
public final class Machine {

  private Machine() {}

  /** The CPU model ({@code /proc/cpuinfo}). */
  public static String cpuModel() {
    return firstValue(Path.of("/proc/cpuinfo"), "model name", ':').orElse("?");
  }

  /** Physical memory in GiB ({@code /proc/meminfo}). */
  public static String memTotal() {
    return firstValue(Path.of("/proc/meminfo"), "MemTotal", ':')
        .map(
            value ->
                String.format(
                    "%.1f GiB", Long.parseLong(value.replaceAll("\\D", "")) / 1024.0 / 1024.0))
        .orElse("?");
  }

  /** The operating system's pretty name. */
  public static String osName() {
    return firstValue(Path.of("/etc/os-release"), "PRETTY_NAME", '=')
        .map(name -> name.replace("\"", ""))
        .orElse(System.getProperty("os.name"));
  }

  /** Cores available to this JVM. */
  public static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** This JVM's vendor, version and VM. */
  public static String jdk() {
    return System.getProperty("java.vendor")
        + " "
        + System.getProperty("java.runtime.version")
        + " ("
        + System.getProperty("java.vm.name")
        + ")";
  }

  /** {@code uptime}'s line: the load averages when it was read. */
  public static String uptime() {
    return command("uptime");
  }

  /** The checked-out commit, short. */
  public static String gitCommit() {
    return command("git", "rev-parse", "--short", "HEAD");
  }

  /** A command's output (stdout and stderr), stripped; {@code "?"} when it cannot run. */
  public static String command(String... command) {
    try {
      var process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes()).strip();
      process.waitFor();
      return output;
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  private static Optional<String> firstValue(Path file, String key, char separator) {
    try {
      return Files.readAllLines(file).stream()
          .filter(line -> line.startsWith(key))
          .findFirst()
          .map(line -> line.substring(line.indexOf(separator) + 1).strip());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
