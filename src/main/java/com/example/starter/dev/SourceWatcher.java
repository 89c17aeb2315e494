package com.example.starter.dev;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The project's source folders, watched with every folder below them (new ones too): the files
 * saved since the last call, once a save has settled.
 */
final class SourceWatcher implements AutoCloseable {

  /**
   * An editor's save can be several events (a temporary file, a rename, a write): quiet this long
   * means it is over.
   */
  private static final long SETTLED_MILLIS = 30;

  private final WatchService watcher;

  SourceWatcher(List<Path> roots) throws IOException {
    this.watcher = FileSystems.getDefault().newWatchService();
    for (Path root : roots) {
      if (Files.isDirectory(root)) {
        watchTree(root);
      }
    }
  }

  /**
   * Blocks until a file changes; answers the files changed until the changes settle. Empty once
   * closed.
   */
  Set<Path> next() throws IOException, InterruptedException {
    Set<Path> changed = new LinkedHashSet<>();
    try {
      WatchKey key = watcher.take();
      while (key != null) {
        Path folder = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.context() instanceof Path name) {
            Path path = folder.resolve(name);
            if (event.kind() == ENTRY_CREATE && Files.isDirectory(path)) {
              watchTree(path);
            }
            changed.add(path);
          }
        }
        key.reset();
        key = watcher.poll(SETTLED_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (ClosedWatchServiceException closed) {
      return Set.of();
    }
    return changed;
  }

  private void watchTree(Path root) throws IOException {
    try (var folders = Files.walk(root)) {
      for (Path folder : folders.filter(Files::isDirectory).toList()) {
        folder.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
      }
    }
  }

  @Override
  public void close() throws IOException {
    watcher.close();
  }
}
