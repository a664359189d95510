package dev.aiaas.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built {@code aiaas.jar} run as an operator runs it: a separate JVM whose output goes to a
 * file (a pipe would lose what the process prints while it exits), so tests can wait for log
 * lines and stop it with real signals.
 */
public final class PlatformProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private PlatformProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java -jar jar args} with {@code env} added to this JVM's environment. */
  public static PlatformProcess start(Path jar, Map<String, String> env, String... args) throws IOException {
    return start(List.of(), jar, env, args);
  }

  /** Starts {@code java jvmOptions -jar jar args} with {@code env} added to this JVM's environment. */
  public static PlatformProcess start(List<String> jvmOptions, Path jar, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("aiaas-process", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new PlatformProcess(builder.start(), log);
  }

  /** Waits for a line matching {@code regex}; returns its match, or fails with the output so far. */
  public Matcher awaitLine(String regex, Duration timeout) {
    Pattern pattern = Pattern.compile(regex);
    Optional<Matcher> found;
    try {
      found = Eventually.until(() -> find(pattern), m -> m.isPresent() || !process.isAlive(), timeout);
    } catch (AssertionError timedOut) {
      found = Optional.empty();
    }
    // The process may have printed the line just before it exited.
    return found.or(() -> find(pattern)).orElseThrow(() -> new AssertionError("no line matching " + regex + " within " + timeout
        + (process.isAlive() ? "" : " (process exited)") + "; output:\n" + output()));
  }

  private Optional<Matcher> find(Pattern pattern) {
    return lines().stream().map(pattern::matcher).filter(Matcher::find).findFirst();
  }

  private List<String> lines() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything the process printed so far. */
  public String output() {
    return String.join("\n", lines());
  }

  /** SIGTERM, as systemd or Ctrl-C would; returns the exit code. */
  public Optional<Integer> terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
  }

  /** SIGKILL: the process gets no chance to clean up. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException, IOException {
    if (process.isAlive()) {
      kill();
    }
    Files.deleteIfExists(log);
  }
}
