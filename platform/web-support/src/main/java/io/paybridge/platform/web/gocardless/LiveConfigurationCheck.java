package io.paybridge.platform.web.gocardless;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * What a service configured for live GoCardless must not start with. Each problem names the setting
 * and the reason, never its value.
 *
 * <p>Always checked:
 *
 * <ul>
 *   <li>the GoCardless URLs ({@code paybridge.gocardless.api-url}, {@code connect-url}, {@code
 *       verify-url}, and the service's own in {@code paybridge.go-live.gocardless-urls}): https on
 *       GoCardless's live hosts only, never the sandbox, the simulator or this machine;
 *   <li>the JWT issuer ({@code paybridge.security.jwt.issuer-uri}: set in a service whose
 *       configuration names it; {@code jwks-uri} when set) and every OAuth2 client provider's URIs
 *       ({@code spring.security.oauth2.client.provider.*}): https, not localhost or a loopback
 *       address;
 *   <li>no {@code local} profile (development defaults), no {@code
 *       paybridge.management.allow-public-port}.
 * </ul>
 *
 * <p>Declared by each service in its {@code application.yml}:
 *
 * <ul>
 *   <li>{@code paybridge.go-live.secrets}: settings that must hold a secret: set (a map or list not
 *       empty), from the secret store (environment variables, a mounted secret or an external file,
 *       never a configuration file packaged with the application nor the command line), not a
 *       GoCardless sandbox credential ({@code sandbox_…}, docs/gocardless/API.md §1.1), not the
 *       simulator's, not a placeholder ({@code change-me});
 *   <li>{@code paybridge.go-live.public-urls}: URLs outside the cluster (redirect URI, return
 *       pages): when set, https and not this machine.
 * </ul>
 *
 * <p>Calls inside the cluster (oauth-service's internal token endpoint, Kafka, the database) are
 * not checked: they are plain within the cluster's network policies.
 */
public final class LiveConfigurationCheck {

  static final String SECRETS = "paybridge.go-live.secrets";
  static final String GOCARDLESS_URLS = "paybridge.go-live.gocardless-urls";
  static final String PUBLIC_URLS = "paybridge.go-live.public-urls";
  static final String ISSUER = "paybridge.security.jwt.issuer-uri";
  static final String JWKS = "paybridge.security.jwt.jwks-uri";
  static final String PROVIDERS = "spring.security.oauth2.client.provider";

  private static final Bindable<Map<String, Map<String, String>>> PROVIDER_MAP =
      Bindable.of(
          ResolvableType.forClassWithGenerics(
              Map.class,
              ResolvableType.forClass(String.class),
              ResolvableType.forClassWithGenerics(Map.class, String.class, String.class)));
  private static final Pattern URL =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://(?:[^/?#@]*@)?(\\[[^\\]]*\\]|[^/?#:]*)");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}]+)(?::|})");
  private static final Set<String> PLACEHOLDER_SECRETS =
      Set.of("secret", "password", "changeit", "test", "example", "xxx");

  private LiveConfigurationCheck() {}

  /** Every problem found, in a stable order; empty when the configuration may go live. */
  public static List<String> problems(ConfigurableEnvironment environment) {
    Binder binder = Binder.get(environment);
    List<String> problems = new ArrayList<>();
    if (Arrays.asList(environment.getActiveProfiles()).contains("local")) {
      problems.add(
          "the 'local' profile is active: its development defaults (local issuer, simulator,"
              + " development secrets) are not for live");
    }
    if (binder.bind("paybridge.management.allow-public-port", Boolean.class).orElse(false)) {
      problems.add(
          "paybridge.management.allow-public-port is true: actuator would answer on the public"
              + " port");
    }

    for (String name :
        concat(
            List.of(
                GoCardlessEnvironment.API_URL,
                GoCardlessEnvironment.CONNECT_URL,
                GoCardlessEnvironment.AUTHORIZE_URL,
                GoCardlessEnvironment.VERIFY_URL),
            names(binder, GOCARDLESS_URLS))) {
      for (String url : values(binder, name)) {
        checkGoCardlessUrl(name, url, problems);
      }
    }

    List<String> issuer = values(binder, ISSUER);
    // Required where the service takes tokens at all: its application.yml names the setting.
    if (issuer.isEmpty() && environment.containsProperty(ISSUER)) {
      problems.add(ISSUER + " is not set: the company IdP that issues the teams' tokens");
    }
    issuer.forEach(url -> checkPublicUrl(ISSUER, url, problems));
    values(binder, JWKS).forEach(url -> checkPublicUrl(JWKS, url, problems));
    Map<String, Map<String, String>> providers =
        binder.<Map<String, Map<String, String>>>bind(PROVIDERS, PROVIDER_MAP).orElseGet(Map::of);
    for (var provider : providers.entrySet()) {
      for (var setting : provider.getValue().entrySet()) {
        if (setting.getKey().endsWith("uri") && !isBlank(setting.getValue())) {
          checkPublicUrl(
              PROVIDERS + "." + provider.getKey() + "." + setting.getKey(),
              setting.getValue(),
              problems);
        }
      }
    }
    for (String name : names(binder, PUBLIC_URLS)) {
      for (String url : values(binder, name)) {
        // A path is a page of the service itself, on whatever host serves it.
        if (!(url.startsWith("/") && !url.startsWith("//"))) {
          checkPublicUrl(name, url, problems);
        }
      }
    }

    for (String name : names(binder, SECRETS)) {
      checkSecret(environment, binder, name, problems);
    }
    return problems;
  }

  private static void checkGoCardlessUrl(String name, String url, List<String> problems) {
    String host = checkPublicUrl(name, url, problems);
    if (host == null) {
      return;
    }
    boolean live =
        Set.of(
                GoCardlessEnvironment.LIVE.apiUrl().getHost(),
                GoCardlessEnvironment.LIVE.connectUrl().getHost(),
                GoCardlessEnvironment.LIVE.verifyUrl().getHost())
            .contains(host);
    if (!live) {
      problems.add(
          name
              + (host.contains("sandbox")
                  ? " is a GoCardless sandbox URL"
                  : " is not one of GoCardless's live hosts (api.gocardless.com,"
                      + " connect.gocardless.com, verify.gocardless.com)"));
    }
  }

  /** Adds the problems of a URL that leaves the cluster; returns its host when it has one. */
  private static String checkPublicUrl(String name, String url, List<String> problems) {
    Matcher matcher = URL.matcher(url.strip());
    if (!matcher.find()) {
      problems.add(name + " is not an absolute URL");
      return null;
    }
    String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
    String host = matcher.group(2).toLowerCase(Locale.ROOT);
    if (!scheme.equals("https")) {
      problems.add(name + " is not https (plaintext " + scheme + ")");
    }
    if (isThisMachine(host)) {
      problems.add(name + " points at this machine (localhost or a loopback address)");
    }
    return host;
  }

  private static boolean isThisMachine(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return bare.isEmpty()
        || bare.equals("localhost")
        || bare.endsWith(".localhost")
        || bare.startsWith("127.")
        || bare.equals("0.0.0.0")
        || bare.equals("::1")
        || bare.equals("0:0:0:0:0:0:0:1")
        || bare.equals("::");
  }

  private static void checkSecret(
      ConfigurableEnvironment environment, Binder binder, String name, List<String> problems) {
    List<String> values = values(binder, name);
    if (values.isEmpty()) {
      problems.add(name + " is not set: it must come from the secret store");
      return;
    }
    String forbiddenSource = forbiddenSource(environment, name, 0);
    if (forbiddenSource != null) {
      problems.add(
          name
              + " comes from "
              + forbiddenSource
              + ": live credentials come from the secret store (environment variables or a"
              + " mounted secret)");
    }
    for (String value : values) {
      String lower = value.strip().toLowerCase(Locale.ROOT);
      if (lower.startsWith("sandbox_")) {
        problems.add(name + " looks like a GoCardless sandbox credential (sandbox_…)");
      } else if (lower.contains("simulator")) {
        problems.add(name + " looks like the GoCardless simulator's credential");
      } else if (lower.startsWith("change-me")
          || lower.startsWith("changeme")
          || PLACEHOLDER_SECRETS.contains(lower)) {
        problems.add(name + " still holds a placeholder, not a secret");
      }
    }
  }

  /**
   * Where a setting's value comes from when that place is not the secret store: a configuration
   * file packaged with the application (a literal, or a placeholder's default taken because the
   * variable is not set), the command line or the application's code ({@code defaultProperties}).
   */
  private static String forbiddenSource(
      ConfigurableEnvironment environment, String name, int depth) {
    ConfigurationPropertyName key = ConfigurationPropertyName.adapt(name, '.');
    ConfigurationPropertySource winner = null;
    ConfigurationProperty property = null;
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      property = source.getConfigurationProperty(key);
      if (property != null
          || source.containsDescendantOf(key) == ConfigurationPropertyState.PRESENT) {
        winner = source;
        break;
      }
    }
    if (winner == null || !(winner.getUnderlyingSource() instanceof PropertySource<?> origin)) {
      return null;
    }
    String where = describe(origin.getName());
    if (where == null) {
      return null;
    }
    if (property != null
        && property.getValue() instanceof CharSequence raw
        && raw.toString().contains("${")
        && depth < 3) {
      Matcher reference = PLACEHOLDER.matcher(raw);
      if (reference.find() && environment.containsProperty(reference.group(1).strip())) {
        // The file only refers to another setting (usually an environment variable): that one
        // decides.
        return forbiddenSource(environment, reference.group(1).strip(), depth + 1);
      }
    }
    return where;
  }

  private static String describe(String propertySourceName) {
    if (propertySourceName.contains("class path resource")
        || propertySourceName.contains("classpath:")) {
      return "a configuration file packaged with the application";
    }
    if (propertySourceName.equals("commandLineArgs")) {
      return "the command line";
    }
    if (propertySourceName.equals("defaultProperties")) {
      return "the application's default properties";
    }
    return null;
  }

  /** The setting names listed under a {@code paybridge.go-live.*} declaration. */
  private static List<String> names(Binder binder, String declaration) {
    return values(binder, declaration);
  }

  /**
   * A setting's values: one for a plain value, each element of a list (comma separated or indexed),
   * each value of a map; blanks left out.
   */
  private static List<String> values(Binder binder, String name) {
    List<String> list =
        bindOrEmpty(() -> binder.bind(name, Bindable.listOf(String.class)).orElseGet(List::of));
    if (list.isEmpty()) {
      list =
          bindOrEmpty(
              () ->
                  List.copyOf(
                      binder
                          .bind(name, Bindable.mapOf(String.class, String.class))
                          .orElseGet(Map::of)
                          .values()));
    }
    return list.stream().filter(v -> !isBlank(v)).map(String::strip).toList();
  }

  /** A blank plain value cannot be read as a map (nor a map as a list): nothing, then. */
  private static List<String> bindOrEmpty(Supplier<List<String>> binding) {
    try {
      return binding.get();
    } catch (BindException e) {
      return List.of();
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  private static <T> List<T> concat(List<T> first, List<T> second) {
    List<T> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
