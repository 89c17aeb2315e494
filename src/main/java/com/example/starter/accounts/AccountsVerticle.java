package com.example.starter.accounts;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusClient;
import com.example.starter.bus.Deadline;
import com.example.starter.bus.Services;
import com.example.starter.config.AppConfig;
import com.example.starter.mongo.Mongo;
import com.example.starter.ops.SecurityEvents;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.hashing.HashingStrategy;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
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
  private Services services;
  private SecurityEvents events;
  private MongoClient mongo;
  private Mailer mailer;
  private WorkerExecutor hashingThreads;
  private long sweeper;

  @Override
  public Future<?> start() {
    settings = AppConfig.of(config());
    services = Mongo.services(vertx);
    int configured = settings.hashingThreads();
    int threads = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    hashingThreads = vertx.createSharedWorkerExecutor("accounts-hashing", threads);
    PasswordHasher hasher =
        new PasswordHasher(hashingThreads, threads, HashingStrategy.load(), cost());
    mailer = Mailer.create(vertx, settings);
    events = new SecurityEvents(settings.metricsRegistry());
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
              return Accounts.create(mongo, sessions, mailer, hasher, throttle);
            })
        .compose(
            accounts ->
                Login.create(accounts, settings.unverifiedLogin())
                    .compose(login -> serve(accounts, login)))
        // Failed-login counters are checked once a window for having gone idle, tokens for having
        // expired.
        .map(
            accounts ->
                sweeper =
                    vertx.setPeriodic(TimeUnit.SECONDS.toMillis(window), tick -> sweep(accounts)));
  }

  private void sweep(Accounts accounts) {
    accounts
        .sweep()
        .onFailure(
            failure ->
                LOG.warn(
                    "Sweeping idle login failure counters and expired tokens failed: {}",
                    failure.getMessage()));
  }

  /** Each address, by its life stage; the accounts once every one is served. */
  private Future<Accounts> serve(Accounts accounts, Login login) {
    MailedLinks links = new MailedLinks(accounts);
    Registration registration = new Registration(accounts, links);
    return Future.all(
            List.of(
                audited(Addresses.ACCOUNTS_VERIFY, "email verification", links::verify),
                audited(
                    Addresses.ACCOUNTS_RESEND_VERIFICATION,
                    "verification mail",
                    links::resendVerification),
                audited(
                    Addresses.ACCOUNTS_RESET_REQUEST, "password reset mail", links::requestReset),
                audited(Addresses.ACCOUNTS_RESET_CONFIRM, "password reset", links::confirmReset),
                audited(Addresses.ACCOUNTS_REGISTER, "registration", registration::register),
                audited(Addresses.ACCOUNTS_AUTHENTICATE, "login", login::authenticate),
                audited(
                    Addresses.ACCOUNTS_CHANGE_PASSWORD, "password change", login::changePassword),
                audited(Addresses.ACCOUNTS_DELETE, "account deletion", login::delete),
                Mongo.serveHealth(vertx, Addresses.ACCOUNTS_HEALTH, mongo).completion(),
                // Dev mode only: the mails kept instead of sent, for the dev page.
                mailer.dev()
                    ? services.serve(
                        Addresses.MAIL_KEPT,
                        (request, deadline) -> Future.succeededFuture(mailer.kept()))
                    : Future.succeededFuture()))
        .map(accounts);
  }

  /** Served, with its outcome logged and counted as a security event. */
  private Future<Void> audited(
      String address, String event, BiFunction<JsonObject, Deadline, Future<JsonObject>> action) {
    return services.serve(address, events.audited(event, action));
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
