package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The import rules of the layout (README, "the map"), read from the sources. */
class LayoutTest {

  private static final Path MAIN = Path.of("src/main/java/com/example/starter");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);
  private static final String APP = "com.example.starter.";

  @Test
  void packagesImportEachOtherWithoutACircle() {
    Map<String, Set<String>> uses = packageImports();
    for (String start : uses.keySet()) {
      assertThat(reachable(uses, start)).as("packages reached from " + start).doesNotContain(start);
    }
  }

  @Test
  void theTwoServersShareOnlyWhatIsBelowThem() {
    Map<String, Set<String>> uses = packageImports();
    assertThat(uses.get("http")).doesNotContain("ws");
    assertThat(uses.get("ws")).doesNotContain("http");
    assertThat(uses.get("server")).doesNotContain("http", "ws");
  }

  @Test
  void theBusLayerKnowsNoOtherPackageAndNoDatabase() {
    assertThat(packageImports().get("bus")).isEmpty();
    assertThat(imports(MAIN.resolve("bus")))
        .noneMatch(name -> name.startsWith("io.vertx.ext.mongo") || name.startsWith("com.mongodb"));
  }

  /** Over the network only: the raw clients of the test kit, no class of the service's. */
  @Test
  void theBenchmarksUseNoClassOfTheService() {
    assertThat(imports(Path.of("bench")).stream().filter(name -> name.startsWith(APP)))
        .allMatch(name -> name.equals(APP + "RawWebSocket") || name.equals(APP + "HostileCorpus"));
  }

  @Test
  void theRulesSeeImports() {
    assertThat(packageImports()).containsKeys("http", "ws", "bus", "startup");
    assertThat(packageImports().get("startup")).contains("http", "ws");
    assertThat(imports(Path.of("bench"))).contains(APP + "RawWebSocket");
  }

  /** The README's map lists the packages of main, each once, and no other. */
  @Test
  void theReadmeMapNamesEveryPackageOfMain() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Matcher entry = Pattern.compile("(?m)^  ([a-z]+)/ ").matcher(readme);
    List<String> mapped = new ArrayList<>();
    while (entry.find()) {
      mapped.add(entry.group(1));
    }
    Set<String> packages = new TreeSet<>(packageImports().keySet());
    packages.remove("");
    assertThat(mapped).containsExactlyInAnyOrderElementsOf(packages);
  }

  /** Each package of main, with the packages of main it imports. */
  private static Map<String, Set<String>> packageImports() {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(LayoutTest::isJava).toList()) {
        Path folder = MAIN.relativize(file).getParent();
        String from = folder == null ? "" : folder.toString().replace('/', '.');
        Set<String> to = uses.computeIfAbsent(from, key -> new TreeSet<>());
        for (String name : imports(file)) {
          if (name.startsWith(APP)) {
            String rest = name.substring(APP.length());
            String target = rest.contains(".") ? rest.substring(0, rest.lastIndexOf('.')) : "";
            if (!target.equals(from)) {
              to.add(target);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return uses;
  }

  private static Set<String> reachable(Map<String, Set<String>> uses, String start) {
    Set<String> seen = new TreeSet<>();
    List<String> next = new ArrayList<>(uses.getOrDefault(start, Set.of()));
    while (!next.isEmpty()) {
      String at = next.remove(next.size() - 1);
      if (seen.add(at)) {
        next.addAll(uses.getOrDefault(at, Set.of()));
      }
    }
    return seen;
  }

  /** The imported names in a file, or in every Java file under a folder. */
  private static List<String> imports(Path path) {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(path)) {
      for (Path file : files.filter(LayoutTest::isJava).toList()) {
        Matcher matcher = IMPORT.matcher(Files.readString(file));
        while (matcher.find()) {
          names.add(matcher.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  private static boolean isJava(Path path) {
    return path.toString().endsWith(".java");
  }
}
