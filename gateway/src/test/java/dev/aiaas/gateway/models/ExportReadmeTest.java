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

  private static ModelStore.StoredVersion version(JsonObject spec, JsonObject preprocessing) {
    return new ModelStore.StoredVersion(UUID.randomUUID(), "churn", 3, "classification", "mlp", new JsonObject(),
        new JsonObject(), preprocessing, new JsonArray().add("no").add("yes"), spec, 10, "2026-11-30T00:00:00Z");
  }

  /** Verifies that the project README shows the loader snippet exactly as the archives carry it. */
  @Test
  void projectReadmeCarriesTheSameSnippet() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertTrue(readme.contains("```java\n" + ExportReadme.TABULAR_SNIPPET + "```"),
        "README.md's 'Exporting a model' snippet differs from ExportReadme.TABULAR_SNIPPET");
  }

  /** Verifies that a tabular archive's README names the model, its input columns and the snippet; an image one does not offer it. */
  @Test
  void describesTabularAndImageModels() {
    JsonObject preprocessing = new JsonObject().put("features", new JsonArray()
        .add(new JsonObject().put("name", "age")).add(new JsonObject().put("name", "plan")));
    String tabular = ExportReadme.of(version(new JsonObject().put("hidden_units", new JsonArray().add(8)), preprocessing));
    assertTrue(tabular.startsWith("# churn, version 3\n"), tabular);
    assertTrue(tabular.contains("Input columns, in positional order: age, plan."), tabular);
    assertTrue(tabular.contains(ExportReadme.TABULAR_SNIPPET), tabular);

    String image = ExportReadme.of(version(new JsonObject().put("architecture", "cnn"), new JsonObject()));
    assertFalse(image.contains("Input columns"), image);
    assertTrue(image.contains("block.loadParameters(manager, in)"), image);
  }
}
