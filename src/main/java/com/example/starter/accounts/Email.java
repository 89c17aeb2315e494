package com.example.starter.accounts;

import com.example.starter.bus.BusException;
import com.example.starter.bus.Failures;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An email address from a request: a string of a plausible form, stored trimmed and in lower case.
 */
final class Email {

  /**
   * One {@code @}, a dot in the domain, no spaces or control characters; what mail servers accept
   * is checked by sending.
   */
  private static final Pattern FORM =
      Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}.]+");

  private static final int MAX = 254;

  private Email() {}

  static String normalised(Object value) {
    if (!(value instanceof String text)) {
      throw new BusException(Failures.BAD_REQUEST, "email must be a string");
    }
    String trimmed = text.trim();
    if (trimmed.length() > MAX || !FORM.matcher(trimmed).matches()) {
      throw new BusException(
          Failures.BAD_REQUEST,
          "email must be an address like name@example.com, at most " + MAX + " characters");
    }
    return trimmed.toLowerCase(Locale.ROOT);
  }
}
