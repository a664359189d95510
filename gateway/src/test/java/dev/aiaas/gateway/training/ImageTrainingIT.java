package dev.aiaas.gateway.training;

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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Image datasets end to end: a zip of class folders is validated, and a cnn learns to tell the shapes apart. */
class ImageTrainingIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private static Api owner;

  @BeforeAll
  static void tenant() {
    owner = app.api().as(TenantFixture.create(app, "acme").ownerToken());
  }

  /** Filled circles and squares of random size and place, 28x28, as PNG files in class folders. */
  private static byte[] shapes(int perClass, long seed) {
    Random random = new Random(seed);
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      for (String shape : new String[] {"circle", "square"}) {
        for (int i = 0; i < perClass; i++) {
          out.putNextEntry(new ZipEntry(shape + "/" + i + ".png"));
          out.write(png(shape, random));
          out.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return zip.toByteArray();
  }

  /** One black circle or square of random size and place on white, as a PNG. */
  private static byte[] png(String shape, Random random) {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 28, 28);
    g.setColor(Color.BLACK);
    int size = 10 + random.nextInt(10);
    int x = random.nextInt(28 - size);
    int y = random.nextInt(28 - size);
    if (shape.equals("circle")) {
      g.fillOval(x, y, size, size);
    } else {
      g.fillRect(x, y, size, size);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] zipWith(String entry, byte[] content) {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      out.putNextEntry(new ZipEntry(entry));
      out.write(content);
      out.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return zip.toByteArray();
  }

  private static Api.Response upload(String name, byte[] zip) {
    return owner.postBytes("/v1/datasets?name=" + name + "&format=images", "application/zip", zip);
  }

  /**
   * Verifies that a cnn trained on drawn shapes (with its own channels, dropout and augmentation)
   * beats chance by a wide margin, reports its samples per second and is registered, then serves base64 images through v1 and V2, refuses undecodable ones naming the instance, and
   * classifies a whole image dataset as a batch prediction.
   */
  @Test
  void cnnLearnsShapesAndServesThem() {
    Api.Response dataset = upload("shapes", shapes(80, 3));
    assertEquals(201, dataset.status(), dataset.toString());
    assertEquals(160, dataset.json().getInteger("rows"));
    assertEquals(80, dataset.json().getJsonArray("schema").getJsonObject(0).getJsonObject("counts").getInteger("circle"));

    Api.Response job = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", dataset.json().getString("id"))
        .put("model", "shapes").put("task", "classification").put("architecture", "cnn")
        .put("hyperparameters", new JsonObject().put("epochs", 12).put("learning_rate", 0.005)
            .put("conv_channels", new JsonArray().add(8).add(16)).put("dropout", 0.1).put("augment", true)).put("seed", 3));
    assertEquals(202, job.status(), job.toString());

    JsonObject done = Eventually.until(() -> owner.get("/v1/training-jobs/" + job.json().getString("id")).json(),
        j -> !j.getString("state").equals("queued") && !j.getString("state").equals("running"), Duration.ofSeconds(120));
    assertEquals("succeeded", done.getString("state"), done.encodePrettily());
    double accuracy = done.getJsonObject("result").getJsonObject("metrics").getDouble("accuracy");
    assertTrue(accuracy >= 0.8, "chance is 0.5; got " + accuracy);
    assertTrue(done.getJsonObject("progress").getDouble("samples_per_second") > 0, done.encodePrettily());
    JsonObject version = owner.get("/v1/models/shapes").json().getJsonArray("versions").getJsonObject(0);
    assertEquals("cnn", version.getString("architecture"));
    assertEquals(new JsonArray().add(8).add(16), version.getJsonObject("hyperparameters").getJsonArray("conv_channels"));
    assertEquals(true, version.getJsonObject("hyperparameters").getBoolean("augment"));

    assertEquals("ready", owner.post("/v1/models/shapes/deployment", new JsonObject().put("version", 1)).json().getString("state"));
    Random random = new Random(77);
    JsonArray instances = new JsonArray();
    JsonArray base64 = new JsonArray();
    List<String> truth = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String shape = i % 2 == 0 ? "circle" : "square";
      String b64 = Base64.getEncoder().encodeToString(png(shape, random));
      instances.add(new JsonObject().put("b64", b64));
      base64.add(b64);
      truth.add(shape);
    }
    Api.Response answer = owner.post("/v1/models/shapes/predict", new JsonObject().put("instances", instances));
    assertEquals(200, answer.status(), answer.toString());
    JsonArray predictions = answer.json().getJsonArray("predictions");
    long right = java.util.stream.IntStream.range(0, 40)
        .filter(i -> predictions.getJsonObject(i).getString("label").equals(truth.get(i))).count();
    assertTrue(right >= 30, "fresh drawings are classified about as well as the evaluation said: " + right + "/40");

    Api.Response v2 = owner.post("/v2/models/shapes/infer", new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
        .put("name", "image").put("datatype", "BYTES").put("shape", new JsonArray().add(40)).put("data", base64))));
    assertEquals(200, v2.status(), v2.toString());
    JsonArray labels = v2.json().getJsonArray("outputs").getJsonObject(0).getJsonArray("data");
    for (int i = 0; i < 40; i++) {
      assertEquals(predictions.getJsonObject(i).getString("label"), labels.getString(i));
    }

    Api.Response undecodable = owner.post("/v1/models/shapes/predict", new JsonObject().put("instances", new JsonArray()
        .add(instances.getValue(0)).add(new JsonObject().put("b64", Base64.getEncoder().encodeToString("not an image".getBytes(StandardCharsets.UTF_8))))));
    assertEquals(400, undecodable.status(), undecodable.toString());
    assertEquals("instances[1].b64", undecodable.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    Api.Response notBase64 = owner.post("/v1/models/shapes/predict", new JsonObject().put("instances", new JsonArray()
        .add(new JsonObject().put("b64", "%%%"))));
    assertEquals(400, notBase64.status(), notBase64.toString());

    Api.Response batch = owner.post("/v1/batch-predictions", new JsonObject().put("model", "shapes")
        .put("dataset_id", dataset.json().getString("id")));
    assertEquals(202, batch.status(), batch.toString());
    JsonObject batchDone = Eventually.until(() -> owner.get("/v1/batch-predictions/" + batch.json().getString("id")).json(),
        j -> !j.getString("state").equals("queued") && !j.getString("state").equals("running"), Duration.ofSeconds(60));
    assertEquals("succeeded", batchDone.getString("state"), batchDone.encodePrettily());
    String[] lines = owner.get("/v1/batch-predictions/" + batch.json().getString("id") + "/result").body().split("\r\n");
    assertEquals("file,prediction,probability_circle,probability_square", lines[0]);
    assertEquals(161, lines.length);
    assertTrue(lines[1].startsWith("circle/"), lines[1]);
  }

  /** Verifies that broken archives are refused with a 400 naming the entry, and architectures must fit the data. */
  @Test
  void badArchivesAndMismatches() {
    Api.Response notZip = upload("garbage", "not a zip at all".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, notZip.status());
    Api.Response traversal = upload("evil", zipWith("../escape.png", new byte[] {1, 2, 3}));
    assertEquals(400, traversal.status());
    assertTrue(traversal.json().getString("detail").contains("../escape.png"), traversal.toString());
    Api.Response undecodable = upload("broken", zipWith("cat/1.png", "no png".getBytes(StandardCharsets.UTF_8)));
    assertEquals(400, undecodable.status());
    assertTrue(undecodable.json().getString("detail").contains("cat/1.png"), undecodable.toString());

    String images = upload("few", shapes(10, 4)).json().getString("id");
    String csv = owner.postBytes("/v1/datasets?name=t&format=csv", "text/csv", "x,y\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8))
        .json().getString("id");
    Api.Response mlpOnImages = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", images).put("model", "m")
        .put("task", "classification").put("architecture", "mlp").put("label", "class"));
    assertEquals(400, mlpOnImages.status());
    assertEquals("architecture", mlpOnImages.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    Api.Response cnnOnCsv = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", csv).put("model", "m")
        .put("task", "classification").put("architecture", "cnn"));
    assertEquals(400, cnnOnCsv.status());
    Api.Response cnnRegression = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", images).put("model", "m")
        .put("task", "regression").put("architecture", "cnn"));
    assertEquals(400, cnnRegression.status());
    Api.Response badSize = owner.post("/v1/training-jobs", new JsonObject().put("dataset_id", images).put("model", "m")
        .put("task", "classification").put("architecture", "cnn").put("hyperparameters", new JsonObject()
            .put("conv_channels", new JsonArray().add(32).add(1024)).put("dropout", 1.5).put("augment", "yes")));
    assertEquals(400, badSize.status(), badSize.toString());
    assertTrue(badSize.header("content-type").startsWith("application/problem+json"), badSize.toString());
    JsonArray errors = badSize.json().getJsonArray("errors");
    assertEquals(List.of("hyperparameters.augment", "hyperparameters.conv_channels[1]", "hyperparameters.dropout"),
        errors.stream().map(e -> ((JsonObject) e).getString("field")).sorted().toList(), badSize.toString());
  }
}
