package com.example.starter.accounts;

import io.vertx.ext.auth.hashing.HashString;
import io.vertx.ext.auth.hashing.HashingAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (Bouncy Castle) as a Vert.x auth {@link HashingAlgorithm}, found through {@code
 * META-INF/services}: hashes look like {@code $argon2id$m=19456,t=2,p=1$<salt>$<hash>}, so {@code
 * HashingStrategy.verify} and vertx-auth-mongo check them like any other. Slow on purpose: call it
 * from a worker, never an event loop.
 */
public class Argon2id implements HashingAlgorithm {

  public static final String ID = "argon2id";
  public static final String MEMORY_KIB = "m";
  public static final String ITERATIONS = "t";
  public static final String PARALLELISM = "p";
  private static final int HASH_BYTES = 32;

  @Override
  public String id() {
    return ID;
  }

  /** In the order they are written into the hash. */
  @Override
  public Set<String> params() {
    return new LinkedHashSet<>(List.of(MEMORY_KIB, ITERATIONS, PARALLELISM));
  }

  @Override
  public String hash(HashString hashString, String password) {
    Argon2Parameters parameters =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(Integer.parseInt(hashString.param(MEMORY_KIB)))
            .withIterations(Integer.parseInt(hashString.param(ITERATIONS)))
            .withParallelism(Integer.parseInt(hashString.param(PARALLELISM)))
            .withSalt(Base64.getDecoder().decode(hashString.salt()))
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] hash = new byte[HASH_BYTES];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
    return Base64.getEncoder().withoutPadding().encodeToString(hash);
  }
}
