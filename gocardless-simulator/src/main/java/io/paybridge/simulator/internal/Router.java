package io.paybridge.simulator.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Method + path-template routing ({@code /payments/:identity/actions/retry}). */
public final class Router {

  /** Handles one API call; runs while the simulator lock is held. */
  @FunctionalInterface
  public interface Handler {
    ApiResponse handle(ApiRequest request);
  }

  /** A matched route. */
  public record Match(Route route, Map<String, String> params) {}

  /** A registered route. */
  public record Route(String method, String template, String[] segments, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();

  public Router add(String method, String template, Handler handler) {
    routes.add(new Route(method, template, split(template), handler));
    return this;
  }

  public Match match(String method, String path) {
    String[] parts = split(path);
    for (Route route : routes) {
      if (!route.method.equals(method) || route.segments.length != parts.length) {
        continue;
      }
      Map<String, String> params = new HashMap<>();
      boolean matches = true;
      for (int i = 0; i < parts.length && matches; i++) {
        String segment = route.segments[i];
        if (segment.startsWith(":")) {
          params.put(segment.substring(1), parts[i]);
        } else {
          matches = segment.equals(parts[i]);
        }
      }
      if (matches) {
        return new Match(route, params);
      }
    }
    return null;
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/");
  }
}
