package io.paybridge.platform.testsupport;

import java.time.Duration;
import org.springframework.boot.SpringApplication;

/**
 * Runs an action when the JVM ends, after every Spring application context of the JVM has closed:
 * for the JVM's embedded servers, so that no application loses its database or broker while it is
 * still closing.
 *
 * <p>Why two hooks: Spring Boot runs its shutdown handlers only in a JVM where a Spring application
 * registered its shutdown hook; a test JVM that ran only tests without a Spring context (the
 * relay's own) never runs them. JVM shutdown hooks run at once, in no order: the JVM hook here lets
 * Spring's, if there is one, close the contexts and run the action, and runs it itself when there
 * is none.
 */
final class AfterSpringShutdown {

  /** The name of Spring Boot's shutdown hook thread. */
  private static final String SPRING_SHUTDOWN_HOOK = "SpringApplicationShutdownHook";

  private AfterSpringShutdown() {}

  /**
   * @param action run by both hooks when Spring's runs (and by callers that close the server
   *     themselves, as the benchmarks do): it must do nothing when run again
   */
  static void register(String name, Runnable action) {
    SpringApplication.getShutdownHandlers().add(action);
    Runtime.getRuntime()
        .addShutdownHook(Thread.ofPlatform().name(name).unstarted(() -> afterSpring(action)));
  }

  private static void afterSpring(Runnable action) {
    try {
      // The JVM starts its hooks one after another: give Spring's time to be started.
      Thread.sleep(100);
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        if (thread.getName().equals(SPRING_SHUTDOWN_HOOK)) {
          thread.join(Duration.ofSeconds(60));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    action.run();
  }
}
