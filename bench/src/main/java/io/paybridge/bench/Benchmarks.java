package io.paybridge.bench;

import java.util.Arrays;

/**
 * The benchmarks' entry point: {@code profile=notifications} runs {@link NotificationBenchmark},
 * every other profile the webhook-ingest benchmark.
 */
public final class Benchmarks {

  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    if (Arrays.stream(args).anyMatch(a -> a.contains("profile=notifications"))) {
      NotificationBenchmark.main(args);
    } else {
      WebhookIngestBenchmark.main(args);
    }
  }
}
