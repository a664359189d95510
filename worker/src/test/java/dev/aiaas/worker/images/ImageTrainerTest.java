package dev.aiaas.worker.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.aiaas.worker.engine.DjlRuntime;
import dev.aiaas.worker.training.ClassificationMetrics;
import dev.aiaas.worker.training.EpochReport;
import dev.aiaas.worker.training.Evaluation;
import dev.aiaas.worker.training.Hyperparameters;
import dev.aiaas.worker.training.Prediction;
import dev.aiaas.worker.training.TrainingCancelledException;
import dev.aiaas.worker.training.TrainingListener;
import dev.aiaas.worker.training.TrainingResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trains the real MXNet CNN on drawn circles and squares, on the CPU, with augmentation. */
class ImageTrainerTest {

  private static final int EPOCHS = 15;
  private static final Hyperparameters HP =
      new Hyperparameters(
          EPOCHS,
          16,
          0.003,
          Hyperparameters.ADAM,
          Hyperparameters.SOFTMAX_CROSS_ENTROPY,
          0,
          0,
          List.of(),
          0,
          Hyperparameters.DEFAULT_CONV_CHANNELS,
          Hyperparameters.DEFAULT_DROPOUT,
          true);

  private static byte[] zip;
  private static ImageSet images;
  private static TrainingResult result;
  private static List<EpochReport> reports;

  @BeforeAll
  static void train() throws Exception {
    DjlRuntime.initialize();
    zip = TestImages.zip(TestImages.shapeEntries(150, 42, 28));
    images = ImageSet.read(zip, ImageArchive.Limits.defaults(), 28);
    Recorder recorder = new Recorder(Integer.MAX_VALUE);
    result = ImageTrainer.train(images, HP, 0.2, 7, Device.cpu(), recorder);
    reports = recorder.reports;
  }

  /**
   * Verifies that the CNN tells circles from squares with at least 85% validation accuracy (chance
   * is 50%), reporting one epoch at a time, in order, with a falling training loss.
   */
  @Test
  void learnsCirclesFromSquares() {
    ClassificationMetrics metrics = ((Evaluation.Classification) result.evaluation()).metrics();
    assertTrue(metrics.accuracy() >= 0.85, "validation accuracy " + metrics.accuracy());
    assertEquals(List.of("circle", "square"), result.labels());
    assertEquals(EPOCHS, result.epochsRun());
    assertFalse(result.stoppedEarly());
    assertEquals(EPOCHS, reports.size());
    for (int i = 0; i < EPOCHS; i++) {
      assertEquals(i + 1, reports.get(i).epoch());
      assertEquals(EPOCHS, reports.get(i).epochs());
      assertTrue(Double.isFinite(reports.get(i).validationLoss()));
      assertTrue(reports.get(i).toJson().getJsonObject("metrics").containsKey("accuracy"));
    }
    assertTrue(
        reports.get(EPOCHS - 1).trainingLoss() < reports.get(0).trainingLoss(),
        "training loss did not fall");
    // 60 held-out images (0.2 of 300), all in the confusion matrix
    assertEquals(60, result.evaluation().rows().length);
    int[][] matrix = metrics.confusionMatrix();
    assertEquals(60, matrix[0][0] + matrix[0][1] + matrix[1][0] + matrix[1][1]);
  }

  /** Verifies that the artifact's model spec, labels and preprocessing have the agreed shape. */
  @Test
  void describesTheArtifact() {
    assertEquals(
        new JsonObject()
            .put("architecture", "cnn")
            .put("task", "classification")
            .put("input", new JsonObject().put("size", 28).put("channels", 1))
            .put("classes", 2)
            .put("layers", "conv-bn")
            .put("conv_channels", new JsonArray().add(32).add(64))
            .put("dropout", 0.25),
        result.modelSpec());
    assertEquals(
        new JsonObject().put("resize", 28).put("grayscale", true).put("scale", "0-1"),
        result.preprocessing());
    assertTrue(result.modelParameters().length > 1000);
  }

  /**
   * Verifies that the loaded model predicts exactly what the evaluation recorded for the held-out
   * images (so neither batch norm nor dropout nor augmentation acts outside training), and
   * classifies a freshly drawn batch with at least 80% accuracy.
   */
  @Test
  void loadedModelPredictsLikeTheEvaluation() throws Exception {
    Evaluation.Classification evaluation = (Evaluation.Classification) result.evaluation();
    try (ImageModel model =
        ImageModel.load(
            result.modelSpec(), result.modelParameters(), result.labels(), Device.cpu())) {
      List<BufferedImage> all = new ArrayList<>();
      ImageArchive.scan(
          new ByteArrayInputStream(zip),
          ImageArchive.Limits.defaults(),
          (label, entry, image) -> all.add(image));
      List<BufferedImage> held = new ArrayList<>();
      for (int row : evaluation.rows()) {
        held.add(all.get(row));
      }
      List<Prediction.Classification> predictions = model.predict(held);
      assertEquals(evaluation.predicted(), predictions.stream().map(p -> p.label()).toList());
      Prediction.Classification first = predictions.get(0);
      assertEquals(List.of("circle", "square"), List.copyOf(first.probabilities().keySet()));
      double sum = first.probabilities().values().stream().mapToDouble(Double::doubleValue).sum();
      assertEquals(1.0, sum, 1e-4);

      // a fresh batch, drawn larger (56x56) so resizing is exercised too
      List<Object[]> fresh = TestImages.shapes(50, 99, 56);
      List<Prediction.Classification> freshPredictions =
          model.predict(fresh.stream().map(o -> (BufferedImage) o[1]).toList());
      int correct = 0;
      for (int i = 0; i < fresh.size(); i++) {
        if (fresh.get(i)[0].equals(freshPredictions.get(i).label())) {
          correct++;
        }
      }
      double accuracy = (double) correct / fresh.size();
      assertTrue(accuracy >= 0.8, "fresh accuracy " + accuracy);
    }
  }

  /** Verifies that a spec and parameters that do not belong together are refused on load. */
  @Test
  void loadRefusesMismatchedArtifacts() {
    JsonObject wrongSize = result.modelSpec().copy();
    wrongSize.getJsonObject("input").put("size", 32);
    assertThrows(
        IllegalArgumentException.class,
        () -> ImageModel.load(wrongSize, result.modelParameters(), result.labels(), Device.cpu()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ImageModel.load(
                result.modelSpec(),
                result.modelParameters(),
                List.of("a", "b", "c"),
                Device.cpu()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ImageModel.load(
                new JsonObject().put("architecture", "mlp"),
                new byte[0],
                List.of("a", "b"),
                Device.cpu()));
  }

  /** Verifies that a listener cancelling after the first epoch stops the run with 1 epoch done. */
  @Test
  void cancelsAfterTheFirstEpoch() {
    Recorder recorder = new Recorder(1);
    TrainingCancelledException e =
        assertThrows(
            TrainingCancelledException.class,
            () -> ImageTrainer.train(images, HP, 0.2, 7, Device.cpu(), recorder));
    assertEquals(1, e.epochsCompleted());
    assertEquals(1, recorder.reports.size());
  }

  /**
   * Verifies that the same archive, hyperparameters and seed give the same weights twice, with
   * dropout and augmentation on.
   */
  @Test
  void isReproducible() throws Exception {
    ImageSet small =
        ImageSet.read(
            TestImages.zip(TestImages.shapeEntries(20, 5, 28)), ImageArchive.Limits.defaults(), 28);
    Hyperparameters oneEpoch =
        new Hyperparameters(
            1,
            8,
            0.003,
            Hyperparameters.SGD,
            Hyperparameters.SOFTMAX_CROSS_ENTROPY,
            0,
            0.001,
            List.of(),
            0,
            List.of(8, 16),
            0.5,
            true);
    TrainingResult a =
        ImageTrainer.train(small, oneEpoch, 0.25, 3, Device.cpu(), TrainingListener.NONE);
    TrainingResult b =
        ImageTrainer.train(small, oneEpoch, 0.25, 3, Device.cpu(), TrainingListener.NONE);
    assertArrayEquals(a.modelParameters(), b.modelParameters());
    assertArrayEquals(a.evaluation().rows(), b.evaluation().rows());
    assertEquals(10, a.evaluation().rows().length);
  }

  /**
   * Verifies that a model of the old LeNet-style layout, whose spec names no layers (as every
   * version registered before the layouts were named), still loads and predicts what its training
   * evaluation recorded.
   */
  @Test
  void loadsTheOldLayout() throws Exception {
    TrainingResult old =
        ImageTrainer.train(images, new LeNet(28, 2), HP, 0.2, 7, Device.cpu(), TrainingListener.NONE);
    assertEquals(
        new JsonObject()
            .put("architecture", "cnn")
            .put("task", "classification")
            .put("input", new JsonObject().put("size", 28).put("channels", 1))
            .put("classes", 2),
        old.modelSpec(),
        "the spec old versions hold");
    List<BufferedImage> all = new ArrayList<>();
    ImageArchive.scan(
        new ByteArrayInputStream(zip),
        ImageArchive.Limits.defaults(),
        (label, entry, image) -> all.add(image));
    List<BufferedImage> held = new ArrayList<>();
    for (int row : old.evaluation().rows()) {
      held.add(all.get(row));
    }
    try (ImageModel model =
        ImageModel.load(old.modelSpec(), old.modelParameters(), old.labels(), Device.cpu())) {
      assertEquals(
          ((Evaluation.Classification) old.evaluation()).predicted(),
          model.predict(held).stream().map(p -> p.label()).toList());
    }
    // and the new layout's parameters do not pass for the old one
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ImageModel.load(old.modelSpec(), result.modelParameters(), result.labels(), Device.cpu()));
  }

  /** Records reports and asks to cancel once {@code cancelAfter} epochs have been reported. */
  private static final class Recorder implements TrainingListener {
    private final int cancelAfter;
    final List<EpochReport> reports = new ArrayList<>();

    Recorder(int cancelAfter) {
      this.cancelAfter = cancelAfter;
    }

    @Override
    public void onEpoch(EpochReport report) {
      reports.add(report);
    }

    @Override
    public boolean cancelled() {
      return reports.size() >= cancelAfter;
    }
  }
}
