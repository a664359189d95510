package dev.aiaas.worker.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.basicmodelzoo.basic.Mlp;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves that the packaged MXNet natives train, predict, save and reload offline on CPU. */
class DjlTrainingTest {

  private static final int CLASSES = 3;
  private static final int FEATURES = 2;
  private static final int ROWS = 600;
  private static final int TRAIN_ROWS = 480;
  private static final int EPOCHS = 8;
  private static final int BATCH_SIZE = 32;
  private static final int SEED = 42;
  // Blob centres far apart relative to their unit spread, so a trained model is near 100% right.
  private static final float[][] CENTRES = {{0f, 0f}, {5f, 5f}, {-5f, 5f}};

  @BeforeAll
  static void loadEngine() {
    EngineInfo engine = DjlRuntime.initialize();
    assertEquals("MXNet", engine.name());
  }

  /**
   * Verifies that an MLP trained on seeded Gaussian blobs classifies a held-out split with more than
   * 90% accuracy, and that the saved model reloads and predicts the same classes.
   */
  @Test
  void trainsEvaluatesSavesAndReloads(@TempDir Path dir)
      throws IOException, MalformedModelException, TranslateException {
    // GIVEN a shuffled, seeded three-class data set split 480 / 120
    Engine.getEngine(DjlRuntime.ENGINE_NAME).setRandomSeed(SEED);
    Blobs blobs = Blobs.generate(new Random(SEED));
    float[][] testFeatures = blobs.features(TRAIN_ROWS, ROWS);
    int[] testLabels = blobs.labels(TRAIN_ROWS, ROWS);

    int[] predicted;
    try (Model model = Model.newInstance("blobs", Device.cpu(), DjlRuntime.ENGINE_NAME)) {
      model.setBlock(newBlock());

      // WHEN it is trained on the first 480 rows
      try (NDManager manager = NDManager.newBaseManager(Device.cpu(), DjlRuntime.ENGINE_NAME)) {
        ArrayDataset train =
            new ArrayDataset.Builder()
                .setData(manager.create(blobs.features(0, TRAIN_ROWS)))
                .optLabels(manager.create(toFloats(blobs.labels(0, TRAIN_ROWS))))
                .setSampling(BATCH_SIZE, true)
                .build();
        try (Trainer trainer = model.newTrainer(trainingConfig())) {
          trainer.initialize(new Shape(BATCH_SIZE, FEATURES));
          EasyTrain.fit(trainer, EPOCHS, train, null);
        }
      }

      // THEN it classifies the held-out rows well
      try (Predictor<float[][], int[]> predictor = model.newPredictor(new ClassTranslator())) {
        predicted = predictor.predict(testFeatures);
      }
      double accuracy = accuracy(predicted, testLabels);
      assertTrue(accuracy > 0.9, "held-out accuracy " + accuracy);

      model.save(dir, "blobs");
    }
    try (var files = Files.list(dir)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".params")));
    }

    // AND the saved parameters reload into a fresh block and give the same classes
    try (Model reloaded = Model.newInstance("blobs", Device.cpu(), DjlRuntime.ENGINE_NAME)) {
      reloaded.setBlock(newBlock());
      reloaded.load(dir, "blobs");
      try (Predictor<float[][], int[]> predictor = reloaded.newPredictor(new ClassTranslator())) {
        assertArrayEquals(predicted, predictor.predict(testFeatures));
      }
    }
  }

  private static Block newBlock() {
    return new Mlp(FEATURES, CLASSES, new int[] {16, 16});
  }

  private static DefaultTrainingConfig trainingConfig() {
    return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build())
        .optDevices(new Device[] {Device.cpu()})
        .addEvaluator(new Accuracy());
  }

  private static double accuracy(int[] predicted, int[] expected) {
    int correct = 0;
    for (int i = 0; i < expected.length; i++) {
      if (predicted[i] == expected[i]) {
        correct++;
      }
    }
    return (double) correct / expected.length;
  }

  private static float[] toFloats(int[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = values[i];
    }
    return floats;
  }

  /** Rows of 2-D points, each drawn around the centre of its class with unit spread. */
  private record Blobs(float[][] features, int[] labels) {

    static Blobs generate(Random random) {
      float[][] features = new float[ROWS][];
      int[] labels = new int[ROWS];
      for (int row = 0; row < ROWS; row++) {
        labels[row] = row % CLASSES;
        float[] centre = CENTRES[labels[row]];
        features[row] =
            new float[] {
              centre[0] + (float) random.nextGaussian(), centre[1] + (float) random.nextGaussian()
            };
      }
      // Shuffle so both splits hold every class in the same proportions.
      for (int row = ROWS - 1; row > 0; row--) {
        int other = random.nextInt(row + 1);
        float[] point = features[row];
        features[row] = features[other];
        features[other] = point;
        int label = labels[row];
        labels[row] = labels[other];
        labels[other] = label;
      }
      return new Blobs(features, labels);
    }

    float[][] features(int from, int to) {
      return Arrays.copyOfRange(features, from, to);
    }

    int[] labels(int from, int to) {
      return Arrays.copyOfRange(labels, from, to);
    }
  }

  /** Feeds a whole batch of points at once and returns the most likely class of each. */
  private static final class ClassTranslator implements Translator<float[][], int[]> {

    @Override
    public NDList processInput(TranslatorContext ctx, float[][] input) {
      return new NDList(ctx.getNDManager().create(input));
    }

    @Override
    public int[] processOutput(TranslatorContext ctx, NDList list) {
      NDArray classes = list.singletonOrThrow().argMax(1);
      return classes.toType(DataType.INT32, false).toIntArray();
    }

    @Override
    public Batchifier getBatchifier() {
      // The input already is a batch.
      return null;
    }
  }
}
