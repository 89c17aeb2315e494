package com.example.starter.accounts;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.auth.hashing.HashingStrategy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Argon2id hashing and checking on a pool of worker threads of its own, so that the accounts
 * verticle (one per process, on an event loop, with one database client) never waits on a hash and
 * a burst of logins cannot take the pool every other blocking task shares.
 */
final class PasswordHasher {

  private static final int SALT_BYTES = 16;

  private final WorkerExecutor workers;
  private final HashingStrategy hashing;
  private final Map<String, String> cost;
  private final SecureRandom random = new SecureRandom();

  PasswordHasher(WorkerExecutor workers, HashingStrategy hashing, Map<String, String> cost) {
    this.workers = workers;
    this.hashing = hashing;
    this.cost = cost;
  }

  Future<String> hash(String password) {
    return workers.executeBlocking(() -> {
      byte[] salt = new byte[SALT_BYTES];
      random.nextBytes(salt);
      return hashing.hash(Argon2id.ID, cost, Base64.getEncoder().withoutPadding().encodeToString(salt), password);
    }, false);
  }

  Future<Boolean> verify(String hash, String password) {
    return workers.executeBlocking(() -> hashing.verify(hash, password), false);
  }
}
