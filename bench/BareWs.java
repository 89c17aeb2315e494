import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The websocket baselines for bench/ws.sh: a bare Vert.x server, one verticle per event loop, with
 * nothing else on the path (no sessions, origin check, limits or metrics).
 *
 * <ul>
 *   <li>{@code /ws/echo} answers each text message with the text and "/answer", as the app does;
 *   <li>{@code /ws/chat} broadcasts each text message, as the same JSON the app's chat sends, to
 *       every socket: published once on the local event bus, delivered by each verticle to the
 *       sockets of its own event loop.
 * </ul>
 *
 * <pre>java -cp target/starter.jar bench/BareWs.java PORT</pre>
 */
public class BareWs {

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    vertx
        .deployVerticle(
            () -> new WsVerticle(port),
            new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE))
        .onSuccess(id -> System.out.println("BareWs listening on 127.0.0.1:" + port))
        .onFailure(
            failure -> {
              System.err.println("BareWs failed to start: " + failure);
              vertx.close().onComplete(closed -> System.exit(1));
            });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
  }

  static final class WsVerticle extends VerticleBase {

    private static final String ROOM = "bare.room";
    private final int port;
    private final List<ServerWebSocket> members = new ArrayList<>();

    WsVerticle(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      vertx
          .eventBus()
          .<String>localConsumer(
              ROOM,
              message -> {
                for (ServerWebSocket member : members) {
                  member.writeTextMessage(message.body());
                }
              });
      return vertx
          .createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
          .webSocketHandler(this::serve)
          .listen(port);
    }

    private void serve(ServerWebSocket socket) {
      switch (socket.path()) {
        case "/ws/echo" ->
            socket.textMessageHandler(text -> socket.writeTextMessage(text + "/answer"));
        case "/ws/chat" -> {
          members.add(socket);
          socket.closeHandler(closed -> members.remove(socket));
          socket.textMessageHandler(
              text ->
                  vertx
                      .eventBus()
                      .publish(
                          ROOM,
                          new JsonObject()
                              .put("room", "lobby")
                              .put("from", "bare")
                              .put("text", text)
                              .put("at", Instant.now().toString())
                              .encode()));
        }
        default -> socket.close((short) 1008);
      }
    }
  }
}
