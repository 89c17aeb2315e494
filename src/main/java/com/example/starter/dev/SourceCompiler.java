package com.example.starter.dev;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The JDK's compiler, in this JVM and kept warm: it compiles the changed sources into the classes
 * directory, and with the source path, also the sources those changed sources use that are newer
 * than their classes.
 */
final class SourceCompiler {

  private final JavaCompiler javac;
  private final StandardJavaFileManager files;
  private final Path sources;
  private final Path classes;
  private final String classPath;

  SourceCompiler(Path sources, Path classes) {
    this.javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("the dev loop needs a JDK, not a JRE: no Java compiler here");
    }
    this.files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    this.sources = sources;
    this.classes = classes;
    this.classPath = classPath(SourceCompiler.class.getClassLoader());
  }

  /** Compiles {@code changed}; answers the errors as {@code file:line: message}, none if it did. */
  List<String> compile(Collection<Path> changed) {
    return compile(changed, classes);
  }

  /**
   * Compiles one source into a directory that is thrown away: the first real compile then finds the
   * compiler's classes loaded and run in (about a second less, the first time).
   */
  void warmUp(Path source) {
    try {
      Path scratch = Files.createTempDirectory("dev-warm-up");
      compile(List.of(source), scratch);
      try (var written = Files.walk(scratch)) {
        written.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> compile(Collection<Path> changed, Path into) {
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> options =
        List.of(
            "-d",
            into.toString(),
            "-classpath",
            classPath,
            "-sourcepath",
            sources.toString(),
            "--release",
            "17",
            "-encoding",
            "UTF-8",
            "-g",
            "-proc:none",
            "-nowarn");
    Iterable<? extends JavaFileObject> units =
        files.getJavaFileObjectsFromPaths(List.copyOf(changed));
    boolean compiled = javac.getTask(null, files, diagnostics, options, null, units).call();
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
      if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
        errors.add(
            (diagnostic.getSource() == null ? "" : shown(diagnostic.getSource()) + ":")
                + diagnostic.getLineNumber()
                + ": "
                + diagnostic.getMessage(Locale.ROOT));
      }
    }
    if (!compiled && errors.isEmpty()) {
      errors.add("the compiler failed without saying why");
    }
    return errors;
  }

  /** A source as javac prints it on the command line: relative to the project. */
  private static String shown(JavaFileObject source) {
    return Path.of("").toAbsolutePath().relativize(Path.of(source.toUri())).toString();
  }

  /**
   * What the dev loop was started with: Maven's {@code exec:java} puts the project's class path in
   * a class loader of its own, an IDE or {@code java -cp} in {@code java.class.path}.
   */
  private static String classPath(ClassLoader loader) {
    Set<String> entries = new LinkedHashSet<>();
    for (ClassLoader each = loader; each != null; each = each.getParent()) {
      if (each instanceof URLClassLoader urls) {
        for (URL url : urls.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()).toString());
          } catch (URISyntaxException | IllegalArgumentException notAFile) {
            // Not on the file system: javac could not read it either.
          }
        }
      }
    }
    entries.addAll(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
    return String.join(File.pathSeparator, entries);
  }
}
