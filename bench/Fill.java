import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.sstore.impl.SharedDataSessionImpl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills a database as weeks of use would, for bench/volume.sh: accounts and live sessions written
 * directly, the way the accounts and sessions roles store them, not through Argon2id per account.
 * It needs no class of the service's: the hash is the one the service stored for SEED, an account
 * registered over HTTP first.
 *
 * <pre>java -cp target/starter.jar bench/Fill.java MONGO_URL DB FILLER ACTIVE SEED</pre>
 *
 * FILLER accounts {@code user<i>} with a session each (ids {@code f<i>}, 64 hex digits), and ACTIVE
 * accounts {@code bench<i>} with a session each (ids {@code <i>} in 64 hex digits), the ones the
 * benchmark logs in as and sends cookies of. Every account's password is SEED's (one real Argon2id
 * hash, at the service's cost, shared by all). Sessions expire in a day.
 */
public class Fill {

  private static final int BATCH = 1000;

  public static void main(String[] args) {
    String url = args[0];
    String db = args[1];
    int filler = Integer.parseInt(args[2]);
    int active = Integer.parseInt(args[3]);
    String seedLogin = args[4];
    Vertx vertx = Vertx.vertx();
    try {
      MongoClient mongo =
          MongoClient.create(
              vertx, new JsonObject().put("connection_string", url).put("db_name", db));
      // The service hashed the seed's password itself: every account shares that hash.
      JsonObject seed =
          mongo.findOne("accounts", new JsonObject().put("loginKey", seedLogin), null).await();
      if (seed == null) {
        throw new IllegalStateException("no account " + seedLogin + " to take the hash from");
      }
      String hash = seed.getString("password");
      String expiresAt = Instant.now().plusSeconds(86_400).toString();
      VertxContextPRNG random = VertxContextPRNG.current(vertx);
      List<BulkOperation> accounts = new ArrayList<>();
      List<BulkOperation> sessions = new ArrayList<>();
      for (int i = 0; i < filler + active; i++) {
        boolean isActive = i >= filler;
        int n = isActive ? i - filler : i;
        String login = (isActive ? "bench" : "user") + n;
        String id = isActive ? String.format("%064x", n) : "f" + String.format("%063x", n);
        accounts.add(
            BulkOperation.createInsert(
                new JsonObject()
                    .put("login", login)
                    .put("loginKey", login)
                    .put("password", hash)
                    .put("createdAt", new JsonObject().put("$date", Instant.now().toString()))));
        sessions.add(
            BulkOperation.createInsert(
                new JsonObject()
                    .put("_id", id)
                    .put("version", 1)
                    .put("session", session(random, id, login))
                    .put("expiresAt", new JsonObject().put("$date", expiresAt))));
        if (accounts.size() == BATCH || i == filler + active - 1) {
          mongo.bulkWrite("accounts", accounts).await();
          mongo.bulkWrite("sessions", sessions).await();
          accounts.clear();
          sessions.clear();
        }
      }
      System.out.println(
          "Filled " + db + " at " + url + ": " + (filler + active) + " accounts and sessions");
    } finally {
      vertx.close().await();
    }
  }

  /** A logged-in vertx-web session as the session store serializes it, in the bus's base64. */
  private static String session(VertxContextPRNG random, String id, String login) {
    SharedDataSessionImpl session =
        new SharedDataSessionImpl(random, 30 * 60_000L, 32) {
          {
            setId(id);
          }
        };
    session.put("login", login);
    session.incrementVersion();
    Buffer buffer = Buffer.buffer();
    session.writeToBuffer(buffer);
    return new JsonObject().put("session", buffer.getBytes()).getString("session");
  }
}
