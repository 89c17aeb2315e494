package com.example.starter.dev;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * One load of the application's classes: an {@code Application} started from the compiled classes
 * in a class loader of its own, so that the next load sees the code as it is now. The libraries
 * (Vert.x, Netty, the drivers) stay loaded once, warm, in the dev loop's class loader.
 */
final class Generation {

  private static final String APP_PACKAGE = "com.example.starter.";
  private static final String DEV_PACKAGE = APP_PACKAGE + "dev.";

  /** The application's {@code Application}, reached by reflection: its class is this load's. */
  private final Object application;

  private final int httpPort;
  private final int wsPort;

  private Generation(Object application) {
    this.application = application;
    this.httpPort = (Integer) call("httpPort");
    this.wsPort = (Integer) call("wsPort");
  }

  /** Starts the application from {@code classes} with {@code overrides} over its configuration. */
  static Future<Generation> start(URL classes, JsonObject overrides) {
    ClassLoader loader = new FreshClassLoader(classes, Generation.class.getClassLoader());
    // Vert.x takes its threads' and its deployments' class loader from the thread that starts it.
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Future<?> started =
          (Future<?>)
              loader
                  .loadClass(APP_PACKAGE + "Application")
                  .getMethod("start", JsonObject.class)
                  .invoke(null, overrides);
      return started.map(Generation::new);
    } catch (ReflectiveOperationException | LinkageError e) {
      return Future.failedFuture(e);
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  /** Where it serves HTTP, on loopback. */
  int httpPort() {
    return httpPort;
  }

  /** Where it serves websockets, on loopback. */
  int wsPort() {
    return wsPort;
  }

  /** The application's graceful stop: requests in flight finish, websockets close with 1001. */
  Future<Void> stop() {
    return ((Future<?>) call("stop")).mapEmpty();
  }

  private Object call(String method) {
    try {
      return application.getClass().getMethod(method).invoke(application);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Application." + method + "()", e);
    }
  }

  /**
   * Child first for the application's classes and resources, so that they come from this load; the
   * dev loop's own classes and every library come from the parent.
   */
  private static final class FreshClassLoader extends URLClassLoader {

    static {
      registerAsParallelCapable();
    }

    FreshClassLoader(URL classes, ClassLoader parent) {
      super("generation", new URL[] {classes}, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(APP_PACKAGE) || name.startsWith(DEV_PACKAGE)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          try {
            loaded = findClass(name);
          } catch (ClassNotFoundException notCompiled) {
            loaded = super.loadClass(name, false);
          }
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }

    @Override
    public URL getResource(String name) {
      URL own = findResource(name);
      return own != null ? own : super.getResource(name);
    }
  }
}
