package com.example.starter.dev;

import ch.qos.logback.classic.Level;
import com.example.starter.Application;
import com.example.starter.Main;
import com.example.starter.config.AppConfig;
import com.example.starter.startup.DataStage;
import com.example.starter.startup.ReadyLine;
import com.example.starter.startup.Stages;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./mvnw compile exec:java}: every role in one JVM, reloaded when a source is saved. A front
 * ({@link DevProxy}) holds the ports and the embedded database stays open; each save compiles what
 * changed and starts a new {@link Generation} of the application's classes beside the one serving,
 * which serves until the new one is up.
 */
public final class DevMode {

  private static final Logger LOG = LoggerFactory.getLogger(DevMode.class);

  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Path SOURCES = PROJECT.resolve("src/main/java");
  private static final Path RESOURCES = PROJECT.resolve("src/main/resources");
  private static final Path WEBROOT = RESOURCES.resolve("webroot");
  private static final Path CONF = PROJECT.resolve("conf");
  private static final Path CLASSES = PROJECT.resolve("target/classes");

  private final AppConfig front;
  private final JsonObject generationConfig;
  private final DevProxy proxy;
  private final SourceCompiler compiler;

  /** Sources saved since the last compile that succeeded. */
  private final Set<Path> uncompiled = new LinkedHashSet<>();

  private DevMode(
      AppConfig front, JsonObject generationConfig, DevProxy proxy, SourceCompiler compiler) {
    this.front = front;
    this.generationConfig = generationConfig;
    this.proxy = proxy;
    this.compiler = compiler;
  }

  public static void main(String[] args) throws Exception {
    long began = System.nanoTime();
    // Each generation's Application would say Ready on its loopback ports: the front says it.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Application.class))
        .setLevel(Level.WARN);
    Vertx vertx = Vertx.vertx();
    Stages database = new Stages(vertx);
    DevMode dev;
    try {
      AppConfig config = Application.config(new JsonObject()).await();
      JsonObject generationConfig =
          DataStage.embeddedMongo(vertx, config, database).await().behindFront(WEBROOT.toString());
      Generation first = Generation.start(classes(), generationConfig).await();
      DevProxy proxy = DevProxy.start(vertx, config, first).await();
      dev =
          new DevMode(
              proxy.listening(config),
              generationConfig,
              proxy,
              new SourceCompiler(SOURCES, CLASSES));
    } catch (Exception e) {
      Main.exitCannotStart(e);
      return;
    }
    try (SourceWatcher watcher = new SourceWatcher(List.of(SOURCES, RESOURCES, CONF))) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> dev.stop(vertx, database, watcher), "shutdown"));
      LOG.info("Ready: {}", ReadyLine.of(dev.front, began));
      dev.compiler.warmUp(SOURCES.resolve("com/example/starter/Main.java"));
      dev.reloadOnEverySave(watcher);
    }
  }

  private void reloadOnEverySave(SourceWatcher watcher) throws IOException, InterruptedException {
    for (Set<Path> saved = watcher.next(); !saved.isEmpty(); saved = watcher.next()) {
      long began = System.nanoTime();
      if (needsReload(saved)) {
        reload(saved, began);
      }
    }
  }

  /**
   * Java sources wait for the next compile, other resources are copied to the classes; webroot
   * files are served from where they are saved, with no reload.
   */
  private boolean needsReload(Set<Path> saved) throws IOException {
    boolean reload = false;
    for (Path path : saved) {
      if (path.startsWith(SOURCES) && path.toString().endsWith(".java")) {
        if (Files.isRegularFile(path)) {
          uncompiled.add(path);
          reload = true;
        }
      } else if (path.startsWith(RESOURCES) && !path.startsWith(WEBROOT)) {
        copyToClasses(path);
        reload = true;
      } else if (path.startsWith(CONF)) {
        reload = true;
      }
    }
    return reload;
  }

  private static void copyToClasses(Path resource) throws IOException {
    Path copy = CLASSES.resolve(RESOURCES.relativize(resource));
    if (Files.isRegularFile(resource)) {
      Files.createDirectories(copy.getParent());
      Files.copy(resource, copy, StandardCopyOption.REPLACE_EXISTING);
    } else if (!Files.exists(resource)) {
      Files.deleteIfExists(copy);
    }
  }

  private void reload(Set<Path> saved, long began) {
    if (!uncompiled.isEmpty()) {
      List<String> errors = compiler.compile(uncompiled);
      if (!errors.isEmpty()) {
        String report = String.join("\n", errors);
        LOG.error("Compile error; the code before it keeps serving:\n{}", report);
        proxy.showError(report);
        return;
      }
      uncompiled.clear();
    }
    long compiled = System.nanoTime();
    Generation next;
    try {
      next = Generation.start(classes(), generationConfig).await();
    } catch (Exception e) {
      LOG.error("Reload failed; the code before it keeps serving", e);
      proxy.showError(String.valueOf(e));
      return;
    }
    proxy
        .serve(next)
        .stop()
        .onFailure(failure -> LOG.warn("Stopping the code before the reload failed", failure));
    LOG.info(
        "Ready: {}; reloaded in {} (compiled in {}) after {} changed",
        ReadyLine.where(front),
        seconds(System.nanoTime() - began),
        seconds(compiled - began),
        saved.stream()
            .filter(Files::exists)
            .map(path -> PROJECT.relativize(path).toString())
            .sorted()
            .toList());
  }

  private void stop(Vertx vertx, Stages database, SourceWatcher watcher) {
    try {
      watcher.close();
      proxy.close().await();
      proxy.serving().stop().await();
      database.undeploy().await();
      vertx.close().await();
    } catch (Exception e) {
      LOG.warn("Stop failed", e);
    }
    Main.flushLogs();
  }

  private static URL classes() throws IOException {
    return CLASSES.toUri().toURL();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
