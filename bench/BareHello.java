import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;

/**
 * The baseline for bench/hello.sh: a bare vertx-web server answering GET /hello, with nothing else
 * on the request path (no access log, no request id, no metrics).
 *
 * <pre>java -cp target/starter.jar bench/BareHello.java [PORT] [INSTANCES]</pre>
 *
 * PORT defaults to 8090. INSTANCES of 0 or less, or none, means
 * VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, like the application's HTTP_INSTANCES: one http
 * verticle per event loop. Listens on 127.0.0.1 only.
 */
public class BareHello {

  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
    int configured = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int instances = configured > 0 ? configured : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    Vertx vertx = Vertx.vertx();
    vertx
        .deployVerticle(
            () -> new HelloVerticle(port), new DeploymentOptions().setInstances(instances))
        .onSuccess(
            id ->
                System.out.println(
                    "BareHello listening on 127.0.0.1:"
                        + port
                        + " with "
                        + instances
                        + " instances"))
        .onFailure(
            failure -> {
              System.err.println("BareHello failed to start: " + failure);
              vertx.close().onComplete(closed -> System.exit(1));
            });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
  }

  static final class HelloVerticle extends VerticleBase {

    private final int port;

    HelloVerticle(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      Router router = Router.router(vertx);
      router
          .get("/hello")
          .handler(
              ctx ->
                  ctx.response()
                      .putHeader("Content-Type", "text/plain; charset=utf-8")
                      .end("Hello, world"));
      return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
    }
  }
}
