package dev.aiaas.gateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built {@code aiaas.jar} run as an operator runs it: a separate JVM whose output is
 * collected, so tests can wait for log lines and stop it with real signals.
 */
public final class PlatformProcess implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new ArrayList<>();

  private PlatformProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::collect, "aiaas-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java -jar jar args} with {@code env} added to this JVM's environment. */
  public static PlatformProcess start(Path jar, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return new PlatformProcess(builder.start());
  }

  private void collect() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** Waits for a line matching {@code regex}; returns its match, or fails with the output so far. */
  public Matcher awaitLine(String regex, Duration timeout) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex);
    Instant deadline = Instant.now().plus(timeout);
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          Matcher m = pattern.matcher(lines.get(seen));
          if (m.find()) {
            return m;
          }
        }
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0 || (!process.isAlive() && seen == lines.size())) {
          throw new AssertionError("no line matching " + regex + " within " + timeout + "; output:\n" + output());
        }
        lines.wait(Math.min(left, 200));
      }
    }
  }

  /** Everything the process printed so far. */
  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
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

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
