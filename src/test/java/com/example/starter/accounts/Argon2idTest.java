package com.example.starter.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.auth.hashing.HashingStrategy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Argon2idTest {

  private static final Map<String, String> OWASP = Map.of("m", "19456", "t", "2", "p", "1");
  private final HashingStrategy hashing = HashingStrategy.load();

  @Test
  void vertxAuthFindsItAndWritesItsParametersIntoTheHash() {
    String hash = hashing.hash(Argon2id.ID, OWASP, "c2FsdHNhbHRzYWx0c2FsdA", "correct horse");
    assertThat(hash)
        .matches("\\$argon2id\\$m=19456,t=2,p=1\\$c2FsdHNhbHRzYWx0c2FsdA\\$[A-Za-z0-9+/]{43}");
  }

  @Test
  void verifiesTheRightPasswordOnly() {
    String hash = hashing.hash(Argon2id.ID, OWASP, "c2FsdHNhbHRzYWx0c2FsdA", "correct horse");
    assertThat(hashing.verify(hash, "correct horse")).isTrue();
    assertThat(hashing.verify(hash, "correct horsf")).isFalse();
  }

  @Test
  void theSaltChangesTheHash() {
    assertThat(hashing.hash(Argon2id.ID, OWASP, "c2FsdHNhbHRzYWx0c2FsdA", "same"))
        .isNotEqualTo(hashing.hash(Argon2id.ID, OWASP, "b3RoZXJzYWx0b3RoZXJzYQ", "same"));
  }

  /** The reference implementation's command-line tool, written in Vert.x's hash format. */
  @Test
  void matchesTheReferenceImplementation() {
    // echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e
    String reference =
        "$argon2id$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    assertThat(hashing.verify(reference, "password")).isTrue();
  }
}
