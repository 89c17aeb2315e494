package com.example.starter.sessions;

import com.example.starter.bus.Addresses;
import com.example.starter.bus.BusClient;
import com.example.starter.bus.Failures;
import com.example.starter.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A vertx-web {@link SessionStore} for the http and ws nodes: the sessions live in the sessions
 * role, reached over the event bus, so any node can read any session. What it costs per request:
 *
 * <ul>
 *   <li>a read is served from this node's {@link SessionCache} when it can, else one bus request;
 *   <li>a request that does not change its session writes nothing, unless more than {@code
 *       SESSION_TOUCH_AFTER_SECONDS} of its timeout has been used since it was last written: then a
 *       touch extends its expiry (so a busy user costs one write per threshold);
 *   <li>a change is written over the version that was read (a concurrent change is refused).
 * </ul>
 *
 * The cache forgets a session as soon as the bus says it ended or changed, on every node.
 * Concurrent requests for one session share one read and one touch: a busy session that leaves the
 * cache, or reaches its touch threshold, costs the sessions role one request, not one per request
 * in flight.
 */
public class BusSessionStore implements SessionStore {

  /** The session cookie, read by the http role and, at the chat handshake, by the ws role. */
  public static final String COOKIE = "starter.sid";

  /** What the http verticle keeps in a session: the login it was opened for. */
  public static final String LOGIN = "login";

  /** What the session handler's ids look like: hex, of the length it generates. */
  private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{32,128}");

  private BusClient requests;
  private VertxContextPRNG random;
  private long touchAfterMillis;
  private SessionCache cache;
  private List<MessageConsumer<JsonObject>> invalidations;
  private final Map<String, Future<JsonObject>> readsInFlight = new ConcurrentHashMap<>();
  private final Set<String> touchesInFlight = ConcurrentHashMap.newKeySet();

  /**
   * A store with the session settings of the configuration; it listens for ends and changes at
   * once.
   */
  public static BusSessionStore create(Vertx vertx, AppConfig config) {
    BusSessionStore store = new BusSessionStore();
    store.init(
        vertx,
        new JsonObject()
            .put("timeout", config.busTimeoutMs())
            .put("touchAfterSeconds", config.sessionTouchAfterSeconds())
            .put("cacheSize", config.sessionCacheSize())
            .put("cacheSeconds", config.sessionCacheSeconds()));
    return store;
  }

  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    EventBus bus = vertx.eventBus();
    requests = new BusClient(bus, options.getLong("timeout", DeliveryOptions.DEFAULT_TIMEOUT));
    random = VertxContextPRNG.current(vertx);
    touchAfterMillis = TimeUnit.SECONDS.toMillis(options.getLong("touchAfterSeconds", 60L));
    cache =
        new SessionCache(
            options.getInteger("cacheSize", 10_000),
            Duration.ofSeconds(options.getLong("cacheSeconds", 30L)));
    invalidations =
        List.of(
            bus.consumer(
                Addresses.SESSION_ENDED,
                message -> message.body().getJsonArray("ids").forEach(id -> forget((String) id))),
            bus.consumer(
                Addresses.SESSION_CHANGED,
                message -> {
                  readsInFlight.remove(message.body().getString("id"));
                  cache.changed(
                      message.body().getString("id"), message.body().getInteger(Sessions.VERSION));
                }));
    return this;
  }

  /** Completes once this store hears ends and changes of sessions from every node. */
  public Future<Void> listening() {
    return Future.all(invalidations.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  /** The database is consistent: a session that is not there will not appear by waiting. */
  @Override
  public long retryTimeout() {
    return 0;
  }

  @Override
  public Session createSession(long timeout) {
    return createSession(timeout, DEFAULT_SESSIONID_LENGTH);
  }

  @Override
  public Session createSession(long timeout, int length) {
    return new BusSession(random, timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    if (!SESSION_ID.matcher(id).matches()) {
      return Future.succeededFuture();
    }
    SessionCache.Entry cached = cache.get(id, System.currentTimeMillis());
    if (cached != null) {
      return Future.succeededFuture(BusSession.read(random, cached.data(), cached.expiresAt()));
    }
    return read(id)
        .map(
            reply -> {
              byte[] data = reply.getBinary(Sessions.DATA);
              return data == null
                  ? null
                  : BusSession.read(random, data, reply.getLong(Sessions.EXPIRES_AT));
            });
  }

  /**
   * One read of a session from the sessions role, whoever is waiting for it; its answer is cached.
   */
  private Future<JsonObject> read(String id) {
    Future<JsonObject> inFlight = readsInFlight.get(id);
    if (inFlight != null) {
      return inFlight;
    }
    long epoch = cache.epoch();
    Promise<JsonObject> reply = Promise.promise();
    readsInFlight.put(id, reply.future());
    request(Addresses.SESSIONS_GET, new JsonObject().put("id", id)).onComplete(reply);
    return reply
        .future()
        .andThen(
            read -> {
              readsInFlight.remove(id);
              byte[] data = read.succeeded() ? read.result().getBinary(Sessions.DATA) : null;
              if (data != null) {
                cache.put(
                    id,
                    new SessionCache.Entry(
                        data,
                        read.result().getInteger(Sessions.VERSION),
                        read.result().getLong(Sessions.EXPIRES_AT)),
                    epoch);
              }
            });
  }

  @Override
  public Future<Void> put(Session session) {
    BusSession stored = (BusSession) session;
    int readVersion = stored.version();
    stored.incrementVersion();
    boolean changed = stored.version() != readVersion;
    if (stored.isStored() && !changed) {
      boolean fresh =
          stored.expiresAt() - System.currentTimeMillis() > stored.timeout() - touchAfterMillis;
      return fresh ? Future.succeededFuture() : touch(stored);
    }
    return write(stored, stored.isStored() ? readVersion : null);
  }

  private Future<Void> write(BusSession session, Integer expectedVersion) {
    byte[] data = session.serialize();
    JsonObject request =
        new JsonObject()
            .put("id", session.id())
            .put(Sessions.VERSION, session.version())
            .put(Sessions.TIMEOUT, session.timeout())
            .put(Sessions.DATA, data);
    String login = session.get(LOGIN);
    if (login != null) {
      request.put(Sessions.ACCOUNT, login);
    }
    if (expectedVersion != null) {
      request.put(Sessions.EXPECTED_VERSION, expectedVersion);
    }
    long epoch = cache.epoch();
    return request(Addresses.SESSIONS_PUT, request)
        .map(
            reply -> {
              session.stored(reply.getLong(Sessions.EXPIRES_AT));
              cache.put(
                  session.id(),
                  new SessionCache.Entry(data, session.version(), session.expiresAt()),
                  epoch);
              return null;
            });
  }

  /**
   * Extends the session's expiry, unless a touch of it is already on its way. A session that ended
   * meanwhile needs no extending: its end was published, nothing is lost.
   */
  private Future<Void> touch(BusSession session) {
    if (!touchesInFlight.add(session.id())) {
      return Future.succeededFuture();
    }
    long epoch = cache.epoch();
    return request(
            Addresses.SESSIONS_TOUCH,
            new JsonObject().put("id", session.id()).put(Sessions.TIMEOUT, session.timeout()))
        .andThen(done -> touchesInFlight.remove(session.id()))
        .<Void>map(
            reply -> {
              session.stored(reply.getLong(Sessions.EXPIRES_AT));
              cache.put(
                  session.id(),
                  new SessionCache.Entry(
                      session.serialize(), session.version(), session.expiresAt()),
                  epoch);
              return null;
            })
        .recover(
            failure -> {
              if (Failures.status(failure) != Failures.NOT_FOUND) {
                return Future.failedFuture(failure);
              }
              forget(session.id());
              return Future.succeededFuture();
            });
  }

  /** A read on its way may carry the session as it was: later requests do not join it. */
  private void forget(String id) {
    readsInFlight.remove(id);
    cache.invalidate(id);
  }

  @Override
  public Future<Void> delete(String id) {
    forget(id);
    return request(Addresses.SESSIONS_DELETE, new JsonObject().put("id", id)).mapEmpty();
  }

  @Override
  public Future<Void> clear() {
    readsInFlight.clear();
    cache.invalidateAll();
    return request(Addresses.SESSIONS_CLEAR, new JsonObject()).mapEmpty();
  }

  @Override
  public Future<Integer> size() {
    return request(Addresses.SESSIONS_SIZE, new JsonObject())
        .map(reply -> reply.getInteger("size"));
  }

  @Override
  public void close() {
    invalidations.forEach(MessageConsumer::unregister);
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return requests.request(address, body);
  }
}
