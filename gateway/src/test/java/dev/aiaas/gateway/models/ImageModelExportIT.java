package dev.aiaas.gateway.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Image classifiers: evaluated as tabular ones, and exported as archives that plain DJL runs as the platform does. */
class ImageModelExportIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static final int CIRCLES = 60;
  private static final int SQUARES = 20;

  /**
   * One black circle or square of random size and place, as {@code format} ("png" or "jpg"); {@code
   * transparent} draws it on a transparent background (PNG only) instead of white.
   */
  private static byte[] image(boolean circle, Random random, int width, int height, String format, boolean transparent) {
    BufferedImage image = new BufferedImage(width, height,
        transparent ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    if (!transparent) {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
    }
    g.setColor(Color.BLACK);
    int side = Math.min(width, height);
    int size = side * 10 / 28 + random.nextInt(side * 10 / 28);
    int x = random.nextInt(width - size);
    int y = random.nextInt(height - size);
    if (circle) {
      g.fillOval(x, y, size, size);
    } else {
      g.fillRect(x, y, size, size);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      assertTrue(ImageIO.write(image, format, out), format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@value #CIRCLES} circles and {@value #SQUARES} squares, 28x28 PNGs in class folders. */
  private static byte[] imbalancedShapes() throws IOException {
    Random random = new Random(5);
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      for (int i = 0; i < CIRCLES + SQUARES; i++) {
        boolean circle = i < CIRCLES;
        out.putNextEntry(new ZipEntry((circle ? "circle/" : "square/") + i + ".png"));
        out.write(image(circle, random, 28, 28, "png", false));
        out.closeEntry();
      }
    }
    return zip.toByteArray();
  }

  private static HttpResponse<byte[]> download(String path, String token) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.uri(path)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Unzips into {@code dir}; returns the entry names. */
  private static Set<String> unzip(byte[] zip, Path dir) throws IOException {
    Set<String> names = new HashSet<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        names.add(entry.getName());
        Files.write(dir.resolve(entry.getName()), in.readAllBytes());
      }
    }
    return names;
  }

  /**
   * Verifies that a binary image classifier trained through the API with {@code class_weight:
   * balanced} and the default (stratified) split holds out each class in proportion and is scored
   * on its probabilities (log loss, ROC and PR AUC and curves), that cross-validation is refused
   * for images naming {@code cv_folds}; and that its exported archive, unzipped and run by the
   * README's DJL code alone, gives the platform's predictions (probabilities within float
   * rounding) for PNGs and JPEGs of other sizes, transparent ones included.
   */
  @Test
  void imageClassifierIsScoredAndRunsInPlainDjl(@TempDir Path tmp) throws Exception {
    String token = TenantFixture.create(app, "acme").ownerToken();
    Api owner = app.api().as(token);
    Api.Response dataset = owner.postBytes("/v1/datasets?name=shapes&format=images", "application/zip", imbalancedShapes());
    assertEquals(201, dataset.status(), dataset.toString());
    JsonObject request = new JsonObject().put("dataset_id", dataset.json().getString("id")).put("model", "shapes")
        .put("task", "classification").put("architecture", "cnn").put("seed", 3).put("class_weight", "balanced")
        .put("hyperparameters", new JsonObject().put("epochs", 8).put("batch_size", 16).put("learning_rate", 0.005)
            .put("conv_channels", new JsonArray().add(8).add(16)));

    Api.Response folds = owner.post("/v1/training-jobs", request.copy().put("cv_folds", 3));
    assertEquals(400, folds.status(), folds.toString());
    assertEquals("cv_folds", folds.json().getJsonArray("errors").getJsonObject(0).getString("field"));

    // GIVEN a cnn trained with balanced class weights and the default split
    Api.Response submitted = owner.post("/v1/training-jobs", request);
    assertEquals(202, submitted.status(), submitted.toString());
    JsonObject job = Eventually.until(() -> owner.get("/v1/training-jobs/" + submitted.json().getString("id")).json(),
        j -> Set.of("succeeded", "failed", "cancelled").contains(j.getString("state")), Duration.ofSeconds(180));
    assertEquals("succeeded", job.getString("state"), job.encodePrettily());
    assertEquals("stratified", job.getString("split"), job.encodePrettily());
    assertEquals("balanced", job.getString("class_weight"), job.encodePrettily());

    // THEN 16 of 80 images are held out, 12 circles and 4 squares, and the version is scored on probabilities
    JsonObject metrics = owner.get("/v1/models/shapes").json().getJsonArray("versions").getJsonObject(0).getJsonObject("metrics");
    JsonArray matrix = metrics.getJsonObject("confusion_matrix").getJsonArray("matrix");
    assertEquals(List.of(12, 4), List.of(sum(matrix.getJsonArray(0)), sum(matrix.getJsonArray(1))), metrics.encodePrettily());
    assertTrue(metrics.getDouble("log_loss") > 0, metrics.encodePrettily());
    for (String area : List.of("roc_auc", "pr_auc")) {
      double value = metrics.getDouble(area);
      assertTrue(value >= 0 && value <= 1, area + " " + value);
    }
    assertEquals("square", metrics.getString("positive_label"));
    assertTrue(metrics.getJsonObject("roc_curve").getJsonArray("fpr").size() >= 2, metrics.encodePrettily());
    assertTrue(metrics.getJsonObject("pr_curve").getJsonArray("precision").size() >= 1, metrics.encodePrettily());

    // WHEN the platform classifies fresh images of several sizes and formats
    assertEquals(200, owner.post("/v1/models/shapes/deployment", new JsonObject().put("version", 1)).status());
    Random random = new Random(77);
    List<byte[]> fresh = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      boolean circle = i % 2 == 0;
      fresh.add(switch (i % 4) {
        case 0, 1 -> image(circle, random, 28, 28, "png", false);
        case 2 -> image(circle, random, 64, 64, "png", true); // composited on white, halved once
        default -> image(circle, random, 50, 30, "jpg", false); // not square, lossy
      });
    }
    JsonArray instances = new JsonArray();
    fresh.forEach(bytes -> instances.add(new JsonObject().put("b64", Base64.getEncoder().encodeToString(bytes))));
    Api.Response predicted = owner.post("/v1/models/shapes/predict", new JsonObject().put("instances", instances));
    assertEquals(200, predicted.status(), predicted.toString());
    JsonArray answers = predicted.json().getJsonArray("predictions");

    // AND the version is exported
    HttpResponse<byte[]> exported = download("/v1/models/shapes/versions/1/artifact", token);
    assertEquals(200, exported.statusCode(), new String(exported.body(), StandardCharsets.UTF_8));
    Path dir = Files.createDirectory(tmp.resolve("shapes"));
    assertEquals(Set.of("README.md", "model_spec.json", "preprocessing.json", "labels.json", "metadata.json", "model.params"),
        unzip(exported.body(), dir));
    String readme = Files.readString(dir.resolve("README.md"));
    assertTrue(readme.contains("```java\n" + ExportReadme.IMAGE_SNIPPET + "```"), readme);
    assertTrue(readme.contains("(1, 1, 28, 28)"), readme);
    JsonObject spec = new JsonObject(Files.readString(dir.resolve("model_spec.json")));
    assertEquals(new JsonArray().add(8).add(16), spec.getJsonArray("conv_channels"));
    assertEquals(new JsonObject().put("size", 28).put("channels", 1), spec.getJsonObject("input"));
    JsonObject preprocessing = new JsonObject(Files.readString(dir.resolve("preprocessing.json")));
    assertEquals(new JsonArray().add(1).add(1).add(28).add(28), preprocessing.getJsonArray("input_shape"));
    assertEquals(5, preprocessing.getJsonArray("steps").size(), preprocessing.encodePrettily());
    assertEquals(new JsonArray().add("circle").add("square"), new JsonArray(Files.readString(dir.resolve("labels.json"))));

    // THEN plain DJL code, as the README has it, predicts exactly what the platform answered
    try (PlainDjlImageModel plain = new PlainDjlImageModel(dir)) {
      for (int i = 0; i < fresh.size(); i++) {
        float[] out = plain.predict(ImageIO.read(new ByteArrayInputStream(fresh.get(i))));
        JsonObject answer = answers.getJsonObject(i);
        assertEquals(2, out.length);
        int best = out[1] > out[0] ? 1 : 0;
        for (int c = 0; c < out.length; c++) {
          assertEquals(answer.getJsonObject("probabilities").getDouble(plain.label(c)), out[c], 1e-5, "image " + i);
        }
        assertEquals(answer.getString("label"), plain.label(best), "image " + i);
      }
    }
  }

  private static int sum(JsonArray row) {
    int sum = 0;
    for (int i = 0; i < row.size(); i++) {
      sum += row.getInteger(i);
    }
    return sum;
  }
}
