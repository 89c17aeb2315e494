package com.example.starter.sessions;

import com.example.starter.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.ext.web.sstore.impl.SharedDataSessionImpl;

import java.util.regex.Pattern;

/**
 * A vertx-web {@link SessionStore} that keeps nothing itself: every call is a request to the
 * sessions role over the event bus, so any http or ws node can read any session.
 */
public class BusSessionStore implements SessionStore {

  /** The session cookie, read by the http role and, at the chat handshake, by the ws role. */
  public static final String COOKIE = "starter.sid";

  /** What the http verticle keeps in a session: the login it was opened for. */
  public static final String LOGIN = "login";

  /** What the session handler's ids look like: hex, of the length it generates. */
  private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{32,128}");

  private EventBus bus;
  private DeliveryOptions delivery;
  private VertxContextPRNG random;

  public static BusSessionStore create(Vertx vertx, long busTimeoutMillis) {
    BusSessionStore store = new BusSessionStore();
    store.init(vertx, new JsonObject().put("timeout", busTimeoutMillis));
    return store;
  }

  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    bus = vertx.eventBus();
    delivery = new DeliveryOptions().setSendTimeout(options.getLong("timeout", DeliveryOptions.DEFAULT_TIMEOUT));
    random = VertxContextPRNG.current(vertx);
    return this;
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
    return new SharedDataSessionImpl(random, timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    if (!SESSION_ID.matcher(id).matches()) {
      return Future.succeededFuture();
    }
    return request(Addresses.SESSIONS_GET, new JsonObject().put("id", id)).map(reply -> {
      byte[] data = reply.getBinary(Sessions.DATA);
      if (data == null) {
        return null;
      }
      SharedDataSessionImpl session = new SharedDataSessionImpl(random);
      session.readFromBuffer(0, Buffer.buffer(data));
      return session;
    });
  }

  @Override
  public Future<Void> put(Session session) {
    SharedDataSessionImpl shared = (SharedDataSessionImpl) session;
    int expected = shared.version();
    shared.incrementVersion();
    Buffer data = Buffer.buffer();
    shared.writeToBuffer(data);
    return request(Addresses.SESSIONS_PUT, new JsonObject()
      .put("id", session.id())
      .put("expectedVersion", expected)
      .put(Sessions.VERSION, shared.version())
      .put("timeout", session.timeout())
      .put(Sessions.DATA, data.getBytes())).mapEmpty();
  }

  @Override
  public Future<Void> delete(String id) {
    return request(Addresses.SESSIONS_DELETE, new JsonObject().put("id", id)).mapEmpty();
  }

  @Override
  public Future<Void> clear() {
    return request(Addresses.SESSIONS_CLEAR, new JsonObject()).mapEmpty();
  }

  @Override
  public Future<Integer> size() {
    return request(Addresses.SESSIONS_SIZE, new JsonObject()).map(reply -> reply.getInteger("size"));
  }

  @Override
  public void close() {
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return bus.<JsonObject>request(address, body, delivery).map(reply -> reply.body());
  }
}
