package com.example.starter.accounts;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusClient;
import com.example.starter.bus.Services;
import com.example.starter.config.AppConfig;
import com.example.starter.mongo.Mongo;
import com.example.starter.ops.SecurityEvents;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.auth.hashing.HashingStrategy;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the {@code accounts} collection; the rest of the application reaches it over the bus. One
 * instance per process, on an event loop, with one database client: password hashing, slow on
 * purpose, runs on a pool of {@code HASHING_THREADS} workers of its own.
 */
public class AccountsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AccountsVerticle.class);

  private AppConfig settings;
  private MongoClient mongo;
  private Mailer mailer;
  private WorkerExecutor hashingThreads;
  private long sweeper;

  @Override
  public Future<?> start() {
    settings = AppConfig.of(config());
    Services services = Mongo.services(vertx);
    int configured = settings.hashingThreads();
    int threads = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    hashingThreads = vertx.createSharedWorkerExecutor("accounts-hashing", threads);
    PasswordHasher hasher =
        new PasswordHasher(hashingThreads, threads, HashingStrategy.load(), cost());
    mailer = Mailer.create(vertx, settings);
    SecurityEvents events = new SecurityEvents(settings.metricsRegistry());
    int window = settings.loginFailureWindowSeconds();
    // Every change of an account, its address, tokens or password is a journaled write.
    return Mongo.connect(vertx, settings, true)
        .compose(
            client -> {
              mongo = client;
              LoginThrottle throttle =
                  new LoginThrottle(
                      mongo,
                      settings.loginMaxFailures(),
                      settings.loginMaxFailuresPerClient(),
                      window,
                      settings.loginMaxBlockSeconds());
              BusClient sessions = new BusClient(vertx.eventBus(), settings.busTimeoutMs());
              return Accounts.create(
                  mongo, sessions, mailer, hasher, throttle, settings.unverifiedLogin());
            })
        .compose(
            accounts ->
                Future.all(
                        List.of(
                            services.serve(
                                Addresses.ACCOUNTS_VERIFY,
                                events.audited("email verification", accounts::verify)),
                            services.serve(
                                Addresses.ACCOUNTS_RESEND_VERIFICATION,
                                events.audited("verification mail", accounts::resendVerification)),
                            services.serve(
                                Addresses.ACCOUNTS_RESET_REQUEST,
                                events.audited("password reset mail", accounts::requestReset)),
                            services.serve(
                                Addresses.ACCOUNTS_RESET_CONFIRM,
                                events.audited("password reset", accounts::confirmReset)),
                            services.serve(
                                Addresses.ACCOUNTS_REGISTER,
                                events.audited("registration", accounts::register)),
                            services.serve(
                                Addresses.ACCOUNTS_AUTHENTICATE,
                                events.audited("login", accounts::authenticate)),
                            services.serve(
                                Addresses.ACCOUNTS_CHANGE_PASSWORD,
                                events.audited("password change", accounts::changePassword)),
                            services.serve(
                                Addresses.ACCOUNTS_DELETE,
                                events.audited("account deletion", accounts::delete)),
                            Mongo.serveHealth(vertx, Addresses.ACCOUNTS_HEALTH, mongo).completion(),
                            // Dev mode only: the mails kept instead of sent, for the dev page.
                            mailer.dev()
                                ? services.serve(
                                    Addresses.MAIL_KEPT,
                                    (request, deadline) -> Future.succeededFuture(mailer.kept()))
                                : Future.succeededFuture()))
                    // Failed-login counters are checked once a window for having gone idle, tokens
                    // for having expired.
                    .map(
                        served ->
                            sweeper =
                                vertx.setPeriodic(
                                    TimeUnit.SECONDS.toMillis(window),
                                    tick ->
                                        accounts
                                            .sweep()
                                            .onFailure(
                                                failure ->
                                                    LOG.warn(
                                                        "Sweeping idle login failure counters and expired tokens failed: {}",
                                                        failure.getMessage())))));
  }

  private Map<String, String> cost() {
    return Map.of(
        Argon2id.MEMORY_KIB, String.valueOf(settings.argon2MemoryKib()),
        Argon2id.ITERATIONS, String.valueOf(settings.argon2Iterations()),
        Argon2id.PARALLELISM, String.valueOf(settings.argon2Parallelism()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    mailer.close();
    return Future.join(hashingThreads.close(), mongo.close());
  }
}
