package dev.aiaas.worker.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.aiaas.worker.engine.DjlRuntime;
import dev.aiaas.worker.training.EpochReport;
import dev.aiaas.worker.training.Evaluation;
import dev.aiaas.worker.training.Prediction;
import dev.aiaas.worker.training.TrainingListener;
import dev.aiaas.worker.training.TrainingResult;
import dev.aiaas.worker.training.TrainingSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Image classifiers are held out and scored as tabular ones: stratified split, balanced weights, log loss and AUCs. */
class ImageEvaluationTest {

  private static final int CIRCLES = 40;
  private static final int SQUARES = 10;

  private static byte[] zip;
  private static ImageSet images;
  private static List<BufferedImage> decoded;

  @BeforeAll
  static void draw() throws Exception {
    DjlRuntime.initialize();
    Random random = new Random(11);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < CIRCLES; i++) {
      entries.put("circle/c" + i + ".png", TestImages.png(TestImages.shape(true, random, 28)));
      if (i < SQUARES) {
        entries.put("square/s" + i + ".png", TestImages.png(TestImages.shape(false, random, 28)));
      }
    }
    zip = TestImages.zip(entries);
    images = ImageSet.read(zip, ImageArchive.Limits.defaults(), 28);
    decoded = new ArrayList<>();
    ImageArchive.scan(new ByteArrayInputStream(zip), ImageArchive.Limits.defaults(),
        (label, entry, image) -> decoded.add(image));
  }

  /** A one-epoch cnn job on the drawn set, with the given data preparation. */
  private static TrainingSpec spec(JsonObject preparation) {
    return TrainingSpec.parse(new JsonObject().put("task", "classification").put("architecture", "cnn").put("seed", 3)
        .put("hyperparameters", new JsonObject().put("epochs", 1).put("batch_size", 8).put("learning_rate", 0.003)
            .put("conv_channels", new JsonArray().add(8).add(16)))
        .mergeIn(preparation)).orElseThrow();
  }

  /** The loaded model's probabilities for the held-out images, in the evaluation's order. */
  private static List<Prediction.Classification> heldOutPredictions(TrainingResult result) {
    List<BufferedImage> held = new ArrayList<>();
    for (int row : result.evaluation().rows()) {
      held.add(decoded.get(row));
    }
    try (ImageModel model = ImageModel.load(result.modelSpec(), result.modelParameters(), result.labels(), Device.cpu())) {
      return model.predict(held);
    }
  }

  private static int squaresIn(int[] rows) {
    int squares = 0;
    for (int row : rows) {
      squares += images.label(row);
    }
    return squares;
  }

  /**
   * Verifies that the default split of an image job is stratified (for every seed, 2 of the 10
   * held-out images are squares, as 10 of the 50 are), and that {@code split: random} is not.
   */
  @Test
  void stratifiedSplitHoldsOutEachClassInProportion() {
    assertEquals(TrainingSpec.STRATIFIED, spec(new JsonObject()).split());
    boolean randomDiffers = false;
    for (long seed = 0; seed < 20; seed++) {
      int[][] stratified = ImageTrainer.split(images, 0.2, true, new Random(seed));
      assertEquals(10, stratified[1].length);
      assertEquals(40, stratified[0].length);
      assertEquals(2, squaresIn(stratified[1]), "seed " + seed);
      int[][] random = ImageTrainer.split(images, 0.2, false, new Random(seed));
      assertEquals(10, random[1].length);
      randomDiffers |= squaresIn(random[1]) != 2;
    }
    assertTrue(randomDiffers, "a random split never strayed from the proportion in 20 seeds");
  }

  /**
   * Verifies that a binary image classifier is scored on its probabilities: log loss, ROC AUC, PR
   * AUC and both curves, the log loss equal to the mean negative log-probability the served model
   * gives the held-out images' true classes.
   */
  @Test
  void binaryClassifierIsScoredOnItsProbabilities() throws Exception {
    TrainingResult result = ImageTrainer.train(images, spec(new JsonObject()), Device.cpu(), TrainingListener.NONE);
    JsonObject metrics = result.evaluation().toJson();
    for (String key : List.of("log_loss", "roc_auc", "pr_auc", "roc_curve", "pr_curve")) {
      assertTrue(metrics.containsKey(key), key + " missing from " + metrics.encode());
    }
    assertEquals("square", metrics.getString("positive_label"));
    assertEquals(metrics.getJsonObject("roc_curve").getJsonArray("fpr").size(),
        metrics.getJsonObject("roc_curve").getJsonArray("tpr").size());
    assertTrue(result.evaluation().summaryJson().containsKey("log_loss"), "progress carries log_loss too");

    List<Prediction.Classification> predictions = heldOutPredictions(result);
    double logLoss = 0;
    for (int i = 0; i < predictions.size(); i++) {
      String actual = result.labels().get(images.label(result.evaluation().rows()[i]));
      logLoss -= Math.log(predictions.get(i).probabilities().get(actual));
    }
    assertEquals(logLoss / predictions.size(), metrics.getDouble("log_loss"), 1e-4);
  }

  /**
   * Verifies that {@code class_weight: balanced} weighs an image job's loss: the reported
   * validation loss is the mean of each held-out image's cross-entropy times its class's weight,
   * rows / (classes * class rows) of the training split (40 / (2 * 32) for circles, 40 / (2 * 8)
   * for squares), where the unweighted job reports the plain mean.
   */
  @Test
  void balancedWeightsWeighTheLoss() throws Exception {
    double[] weights = {40.0 / (2 * 32), 40.0 / (2 * 8)};
    for (String classWeight : List.of("none", "balanced")) {
      List<EpochReport> reports = new ArrayList<>();
      TrainingResult result = ImageTrainer.train(images, spec(new JsonObject().put("class_weight", classWeight)),
          Device.cpu(), reports::add);
      List<Prediction.Classification> predictions = heldOutPredictions(result);
      double loss = 0;
      for (int i = 0; i < predictions.size(); i++) {
        int actual = images.label(result.evaluation().rows()[i]);
        double weight = classWeight.equals("balanced") ? weights[actual] : 1;
        loss -= weight * Math.log(predictions.get(i).probabilities().get(result.labels().get(actual)));
      }
      assertEquals(loss / predictions.size(), reports.get(0).validationLoss(), 1e-4, classWeight);
    }
    assertNotEquals(weights[0], weights[1]);
  }
}
