package io.paybridge.simulator.internal;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * GoCardless-style identifiers: a prefix and upper-case alphanumerics, e.g. {@code PM00008KWW97PE}.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private final Random random;
  private final Set<String> issued = new HashSet<>();

  public Ids(long seed) {
    this.random = new Random(seed);
  }

  /**
   * A new id: prefix + 12 characters (GoCardless's usual length), starting with zeros like real
   * ids.
   */
  public String next(String prefix) {
    return next(prefix, 12);
  }

  public synchronized String next(String prefix, int length) {
    while (true) {
      StringBuilder id = new StringBuilder(prefix).append("00");
      for (int i = 2; i < length; i++) {
        id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
      }
      String candidate = id.toString();
      if (issued.add(candidate)) {
        return candidate;
      }
    }
  }

  /** A random opaque token such as an access token or an OAuth code. */
  public synchronized String secret(String prefix, int length) {
    String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder s = new StringBuilder(prefix);
    for (int i = 0; i < length; i++) {
      s.append(chars.charAt(random.nextInt(chars.length())));
    }
    return s.toString();
  }

  /** Remembers ids that were configured (seed data) so that generated ones never collide. */
  public synchronized void reserve(String id) {
    issued.add(id);
  }
}
