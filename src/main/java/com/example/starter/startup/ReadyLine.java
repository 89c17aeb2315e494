package com.example.starter.startup;

import com.example.starter.config.AppConfig;
import com.example.starter.config.Role;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The line a developer waits for: where this process listens, what it runs, how long it took. */
public final class ReadyLine {

  private ReadyLine() {}

  /** {@code running}: the configuration with the ports the servers got. */
  public static String of(AppConfig running, long startedNanos) {
    return where(running)
        + String.format(
            Locale.ROOT,
            "; started in %.1f s (JVM up %.1f s)",
            (System.nanoTime() - startedNanos) / 1e9,
            ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
  }

  /** Where the servers listen and which roles run. */
  public static String where(AppConfig running) {
    List<String> servers = new ArrayList<>();
    if (running.has(Role.HTTP)) {
      servers.add("HTTP on http://" + running.httpHost() + ":" + running.httpPort() + "/");
    }
    if (running.has(Role.WS)) {
      servers.add("websockets on ws://" + running.wsHost() + ":" + running.wsPort() + "/");
    }
    if (running.managementPort() >= 0) {
      servers.add("health and metrics on port " + running.managementPort());
    } else if (!running.has(Role.HTTP)) {
      servers.add("health and metrics on port " + running.httpPort());
    }
    if (running.has(Role.HTTP)) {
      servers.add("API page http://localhost:" + running.httpPort() + "/api-docs/");
    }
    return String.join(", ", servers) + "; roles " + Role.keys(running.roles());
  }
}
