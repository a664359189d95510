package dev.aiaas.gateway.models;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The README inside an export archive, and the project README's copy of its snippet. */
class ExportReadmeTest {

  private static ModelStore.StoredVersion version(String architecture, JsonObject spec, JsonObject preprocessing) {
    return new ModelStore.StoredVersion(UUID.randomUUID(), "churn", 3, "classification", architecture, new JsonObject(),
        new JsonObject(), preprocessing, new JsonArray().add("no").add("yes"), spec, 10, "2026-11-30T00:00:00Z");
  }

  /** Verifies that the project README shows both loader snippets exactly as the archives carry them. */
  @Test
  void projectReadmeCarriesTheSameSnippet() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertTrue(readme.contains("```java\n" + ExportReadme.TABULAR_SNIPPET + "```"),
        "README.md's 'Exporting a model' snippet differs from ExportReadme.TABULAR_SNIPPET");
    assertTrue(readme.contains("```java\n" + ExportReadme.IMAGE_SNIPPET + "```"),
        "README.md's 'Exporting a model' image snippet differs from ExportReadme.IMAGE_SNIPPET");
  }

  /**
   * Verifies that a tabular archive's README names the model, its input columns and the tabular
   * snippet, and an image one its input tensor and the image snippet.
   */
  @Test
  void describesTabularAndImageModels() {
    JsonObject preprocessing = new JsonObject().put("features", new JsonArray()
        .add(new JsonObject().put("name", "age")).add(new JsonObject().put("name", "plan")));
    String tabular = ExportReadme.of(version("mlp", new JsonObject().put("hidden_units", new JsonArray().add(8)), preprocessing));
    assertTrue(tabular.startsWith("# churn, version 3\n"), tabular);
    assertTrue(tabular.contains("Input columns, in positional order: age, plan."), tabular);
    assertTrue(tabular.contains(ExportReadme.TABULAR_SNIPPET), tabular);

    String image = ExportReadme.of(version("cnn", new JsonObject().put("architecture", "cnn")
        .put("input", new JsonObject().put("size", 32).put("channels", 1)), new JsonObject().put("resize", 32)));
    assertFalse(image.contains("Input columns"), image);
    assertFalse(image.contains(ExportReadme.TABULAR_SNIPPET), image);
    assertTrue(image.contains("a float32 tensor of shape (1, 1, 32, 32)"), image);
    assertTrue(image.contains("```java\n" + ExportReadme.IMAGE_SNIPPET + "```"), image);
  }
}
