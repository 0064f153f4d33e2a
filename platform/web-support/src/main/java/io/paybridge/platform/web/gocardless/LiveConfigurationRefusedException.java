package io.paybridge.platform.web.gocardless;

import java.util.List;

/**
 * A service configured for live GoCardless whose configuration is not fit for it. The message names
 * settings and reasons only, never a value: it ends up in logs.
 */
public class LiveConfigurationRefusedException extends IllegalStateException {

  private final List<String> problems;

  public LiveConfigurationRefusedException(List<String> problems) {
    super(
        "Refusing to start with "
            + GoCardlessEnvironment.PROPERTY
            + "=live: "
            + problems.size()
            + " problem(s) (docs/go-live.md; values not shown):\n - "
            + String.join("\n - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
