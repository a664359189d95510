package dev.aiaas.gateway.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's sample output names the schema version this build migrates to, so the two cannot drift apart. */
class ReadmeSamplesTest {

  private static final Path ROOT = Path.of("..");

  /** Verifies that the sample start-up log and health answer show the newest migration's version. */
  @Test
  void samplesShowTheCurrentSchemaVersion() throws IOException {
    int latest;
    try (Stream<Path> files = Files.list(ROOT.resolve("migrations/src/main/resources/db/migration"))) {
      latest = files.map(f -> f.getFileName().toString())
          .map(name -> Pattern.compile("^V(\\d+)__").matcher(name))
          .filter(Matcher::find)
          .mapToInt(m -> Integer.parseInt(m.group(1)))
          .max().orElseThrow();
    }
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher log = Pattern.compile("\\(schema version (\\d+), (\\d+) migration\\(s\\) applied now\\)").matcher(readme);
    assertTrue(log.find(), "the README shows a start-up log line with the schema version");
    assertEquals(latest, Integer.parseInt(log.group(1)), "schema version in the sample log");
    Matcher health = Pattern.compile("\"schema_version\":\"(\\d+)\"").matcher(readme);
    assertTrue(health.find(), "the README shows a health answer with the schema version");
    assertEquals(latest, Integer.parseInt(health.group(1)), "schema version in the sample health answer");
  }
}
