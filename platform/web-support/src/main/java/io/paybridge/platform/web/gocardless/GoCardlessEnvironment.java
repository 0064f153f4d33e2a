package io.paybridge.platform.web.gocardless;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which GoCardless a service talks to, chosen by the one setting {@value #PROPERTY} (environment
 * variable {@code PAYBRIDGE_GOCARDLESS_ENVIRONMENT}) for every service that calls GoCardless or
 * receives its webhooks. The URLs are GoCardless's own (docs/gocardless/API.md §1.1); the simulator
 * has none of its own: its URLs are given explicitly ({@code paybridge.gocardless.api-url}, {@code
 * connect-url}, {@code verify-url}).
 */
public enum GoCardlessEnvironment {
  SIMULATOR(null, null, null),
  SANDBOX(
      "https://api-sandbox.gocardless.com",
      "https://connect-sandbox.gocardless.com",
      "https://verify-sandbox.gocardless.com"),
  LIVE(
      "https://api.gocardless.com",
      "https://connect.gocardless.com",
      "https://verify.gocardless.com");

  /** The setting. */
  public static final String PROPERTY = "paybridge.gocardless.environment";

  /**
   * Without the setting: the sandbox, so that nothing reaches live GoCardless unless a deployment
   * says so.
   */
  public static final GoCardlessEnvironment DEFAULT = SANDBOX;

  /** The REST API's base URL, derived from the environment unless set explicitly. */
  public static final String API_URL = "paybridge.gocardless.api-url";

  /** The OAuth host (authorise and token exchange), derived unless set explicitly. */
  public static final String CONNECT_URL = "paybridge.gocardless.connect-url";

  /**
   * Where the merchant's browser is sent to grant access, when it reaches the OAuth host at another
   * address than the services do (the simulator in docker-compose). Never derived: without it the
   * authorise URL is {@code <connect-url>/oauth/authorize}.
   */
  public static final String AUTHORIZE_URL = "paybridge.gocardless.authorize-url";

  /** The merchants' onboarding (verification) flow, derived unless set explicitly. */
  public static final String VERIFY_URL = "paybridge.gocardless.verify-url";

  private final URI apiUrl;
  private final URI connectUrl;
  private final URI verifyUrl;

  GoCardlessEnvironment(String apiUrl, String connectUrl, String verifyUrl) {
    this.apiUrl = apiUrl == null ? null : URI.create(apiUrl);
    this.connectUrl = connectUrl == null ? null : URI.create(connectUrl);
    this.verifyUrl = verifyUrl == null ? null : URI.create(verifyUrl);
  }

  /**
   * The environment a setting names ({@code simulator}, {@code sandbox}, {@code live}, any case);
   * {@link #DEFAULT} when blank.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static GoCardlessEnvironment of(String name) {
    if (name == null || name.isBlank()) {
      return DEFAULT;
    }
    for (GoCardlessEnvironment environment : values()) {
      if (environment.settingName().equals(name.strip().toLowerCase(Locale.ROOT))) {
        return environment;
      }
    }
    throw new IllegalArgumentException(
        PROPERTY
            + " must be one of "
            + Arrays.stream(values())
                .map(GoCardlessEnvironment::settingName)
                .collect(Collectors.joining(", ")));
  }

  /** How the setting spells it. */
  public String settingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The REST API ({@code null} for the simulator, whose URL is configured). */
  public URI apiUrl() {
    return apiUrl;
  }

  /** The OAuth host ({@code null} for the simulator). */
  public URI connectUrl() {
    return connectUrl;
  }

  /** Where the merchant's browser is sent to grant access: {@code <connect>/oauth/authorize}. */
  public URI authorizeUrl() {
    return connectUrl == null ? null : connectUrl.resolve("/oauth/authorize");
  }

  /** Where an authorisation code is exchanged for a token: {@code <connect>/oauth/access_token}. */
  public URI tokenUrl() {
    return connectUrl == null ? null : connectUrl.resolve("/oauth/access_token");
  }

  /**
   * The onboarding flow for merchants whose verification needs action ({@code null} for the
   * simulator).
   */
  public URI verifyUrl() {
    return verifyUrl;
  }
}
