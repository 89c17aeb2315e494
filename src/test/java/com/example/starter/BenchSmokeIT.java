package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/run --smoke}: every benchmark scenario runs for about a second against the fat jar
 * and yields figures and plots, so that the benchmarks cannot rot. Their figures are not judged
 * here: a second on a busy machine says nothing; {@code bench/run} without {@code --smoke} does.
 */
class BenchSmokeIT {

  /** bench, scenario: what bench/run measures. */
  private static final Set<String> SCENARIOS =
      Set.of(
          "sessions,dev",
          "sessions,login",
          "sessions,split",
          "sessions,overload",
          "ws,echo",
          "ws,fanout-100",
          "ws,idle",
          "cluster,scale-me",
          "cluster,chat-nodes",
          "startup,start",
          "bus,bus",
          "volume,embedded",
          "volume,mongo");

  @TempDir Path out;

  @Test
  void everyScenarioRunsAndYieldsFiguresAndPlots() throws Exception {
    String missing = missingTools();
    if (missing != null && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI must run the benchmarks' smoke run, but " + missing);
    }
    Assumptions.assumeTrue(missing == null, "skipped: " + missing + " (.ci/run installs it)");

    Path log = out.resolve("run.log");
    ProcessBuilder smoke =
        new ProcessBuilder("bench/run", "--smoke")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    smoke.environment().put("OUT", out.toString());
    Process run = smoke.start();
    if (!run.waitFor(15, TimeUnit.MINUTES)) {
      run.descendants().forEach(ProcessHandle::destroy);
      run.destroy();
      throw new AssertionError("bench/run --smoke took longer than 15 min; see " + log);
    }

    assertThat(run.exitValue()).as("bench/run --smoke, which ended with:%n%s", tail(log)).isZero();
    List<String> rows = Files.readAllLines(out.resolve("results.csv"));
    Set<String> measured =
        rows.stream()
            .skip(1)
            .map(row -> row.split(",", 3))
            .map(fields -> fields[0] + "," + fields[1])
            .collect(Collectors.toSet());
    assertThat(measured).containsAll(SCENARIOS);
    assertThat(rows.stream().skip(1))
        .allSatisfy(
            row ->
                assertThat(
                        Double.parseDouble(row.split(",")[5])
                            + Double.parseDouble(row.split(",")[6]))
                    .as("a rate or a time in %s", row)
                    .isPositive());
    for (String scenario : SCENARIOS) {
      assertThat(out.resolve(scenario.replace(',', '-') + ".svg")).isNotEmptyFile();
    }
  }

  /** The end of the run's output: the temporary directory holding it goes with the test. */
  private static String tail(Path log) throws java.io.IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  /** A scenario that measured nothing (a smoke run on a busy machine) once crashed the plots. */
  @Test
  void aScenarioThatMeasuredNothingIsLeftOutOfThePlots(@TempDir Path results) throws Exception {
    Assumptions.assumeTrue(missingTools() == null, "skipped: the benchmarks' tools are missing");
    Files.writeString(
        results.resolve("results.csv"),
        "bench,scenario,subject,path,round,req_per_s,p99_ms,other_pct,us_per_req\n"
            + "bus,pingpong,app,bus,1,0,0,0,0\n"
            + "hello,dev,app,hello,1,100,2,0,0\n");
    Files.writeString(results.resolve("machine.txt"), "date: today\n");
    Process plot =
        new ProcessBuilder("/usr/bin/python3", "bench/plot.py", results.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(plot.getInputStream().readAllBytes());
    assertThat(plot.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(plot.exitValue()).as(output).isZero();
    assertThat(output).contains("bus-pingpong measured nothing");
    assertThat(results.resolve("hello-dev.svg")).exists();
    assertThat(results.resolve("bus-pingpong.svg")).doesNotExist();
  }

  /** What the benchmarks need and install themselves only as root: null when all is there. */
  private static String missingTools() throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
      return "wrk is not installed";
    }
    Process python =
        new ProcessBuilder(
                "/usr/bin/python3", "-c", "import aiohttp, aiohttp_session, motor, matplotlib")
            .redirectErrorStream(true)
            .start();
    python.getInputStream().readAllBytes();
    return python.waitFor() == 0
        ? null
        : "Debian's python3-aiohttp, python3-aiohttp-session, python3-motor or python3-matplotlib is missing";
  }
}
