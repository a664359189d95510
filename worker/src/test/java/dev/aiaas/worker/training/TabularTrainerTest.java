package dev.aiaas.worker.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.aiaas.worker.data.CsvTable;
import dev.aiaas.worker.engine.DjlRuntime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trains real MXNet models on small seeded tables, on the CPU. */
class TabularTrainerTest {

  private static final CsvTable CLASSES = SyntheticTables.classification(600, 11, 0.01);
  private static final CsvTable VALUES = SyntheticTables.regression(600, 12);

  private static TrainingResult classifier;
  private static List<EpochReport> classifierReports;

  @BeforeAll
  static void trainClassifier() throws Exception {
    DjlRuntime.initialize();
    Recorder recorder = new Recorder(Integer.MAX_VALUE);
    classifier =
        TabularTrainer.train(
            CLASSES,
            classificationSpec(new JsonObject().put("epochs", 15), 7),
            Device.cpu(),
            recorder);
    classifierReports = recorder.reports;
  }

  /**
   * Verifies that an MLP learns a three-class rule over numeric, categorical and missing values to
   * at least 90% validation accuracy, reporting exactly one epoch at a time, in order.
   */
  @Test
  void mlpClassifierLearnsTheRule() {
    ClassificationMetrics metrics = ((Evaluation.Classification) classifier.evaluation()).metrics();
    assertTrue(metrics.accuracy() >= 0.9, "validation accuracy " + metrics.accuracy());
    assertTrue(metrics.f1Macro() >= 0.85, "macro F1 " + metrics.f1Macro());
    assertEquals(List.of("high", "low", "mid"), classifier.labels());
    assertEquals(15, classifier.epochsRun());
    assertFalse(classifier.stoppedEarly());
    assertEquals(15, classifierReports.size());
    for (int i = 0; i < classifierReports.size(); i++) {
      assertEquals(i + 1, classifierReports.get(i).epoch());
      assertEquals(15, classifierReports.get(i).epochs());
    }
    assertTrue(
        classifierReports.get(14).trainingLoss() < classifierReports.get(0).trainingLoss(),
        "training loss did not fall");
    // 120 held-out rows (0.2 of 600), all in the confusion matrix
    int[][] matrix = metrics.confusionMatrix();
    assertEquals(120, Arrays.stream(matrix).flatMapToInt(Arrays::stream).sum());
    assertEquals(120, classifier.evaluation().rows().length);
    JsonObject json = classifier.evaluation().toJson();
    assertEquals(metrics.accuracy(), json.getDouble("accuracy"));
    assertEquals(3, json.getJsonObject("per_class").size());
    assertEquals(
        new JsonArray(List.of("high", "low", "mid")),
        json.getJsonObject("confusion_matrix").getJsonArray("labels"));
    assertTrue(classifierReports.get(0).toJson().getJsonObject("metrics").containsKey("accuracy"));
  }

  /**
   * Verifies that the same seed gives the same split, losses, metrics and weights, and another seed
   * does not.
   */
  @Test
  void sameSeedReproducesTheRun() throws Exception {
    Recorder recorder = new Recorder(Integer.MAX_VALUE);
    TrainingResult again =
        TabularTrainer.train(
            CLASSES,
            classificationSpec(new JsonObject().put("epochs", 15), 7),
            Device.cpu(),
            recorder);

    assertEquals(classifier.evaluation().toJson(), again.evaluation().toJson());
    assertArrayEquals(classifier.evaluation().rows(), again.evaluation().rows());
    assertEquals(reportsJson(classifierReports), reportsJson(recorder.reports));
    assertArrayEquals(classifier.modelParameters(), again.modelParameters());

    TrainingResult otherSeed =
        TabularTrainer.train(
            CLASSES,
            classificationSpec(new JsonObject().put("epochs", 1), 8),
            Device.cpu(),
            TrainingListener.NONE);
    assertFalse(Arrays.equals(classifier.evaluation().rows(), otherSeed.evaluation().rows()));
  }

  /** Verifies that linear and MLP regressors reach R² >= 0.9 on the label's original scale. */
  @Test
  void regressorsFitALinearTarget() throws Exception {
    for (String architecture : List.of("linear", "mlp")) {
      TrainingResult result =
          TabularTrainer.train(
              VALUES,
              regressionSpec(
                  architecture, new JsonObject().put("epochs", 25).put("learning_rate", 0.03), 3),
              Device.cpu(),
              TrainingListener.NONE);
      RegressionMetrics metrics = ((Evaluation.Regression) result.evaluation()).metrics();
      assertTrue(metrics.r2() >= 0.9, architecture + " R² " + metrics.r2());
      // y has a standard deviation near 35; an MSE that large would mean no fit at all
      assertTrue(metrics.mse() < 100, architecture + " MSE " + metrics.mse());
      assertEquals(List.of(), result.labels());
      assertEquals(1, result.modelSpec().getInteger("output_width"));
    }
  }

  /**
   * Verifies that a heavy L2 penalty shrinks a linear model enough to cost fit, i.e. it is applied.
   */
  @Test
  void l2PenaltyShrinksTheModel() throws Exception {
    JsonObject plain = new JsonObject().put("epochs", 10).put("learning_rate", 0.05);
    double unpenalized =
        r2(
            TabularTrainer.train(
                VALUES, regressionSpec("linear", plain, 3), Device.cpu(), TrainingListener.NONE));
    double penalized =
        r2(
            TabularTrainer.train(
                VALUES,
                regressionSpec("linear", plain.copy().put("l2", 1.0), 3),
                Device.cpu(),
                TrainingListener.NONE));
    assertTrue(
        penalized < unpenalized - 0.05,
        "R² " + penalized + " with l2=1 vs " + unpenalized + " without");
  }

  /** Verifies that a listener cancelling after epoch 2 stops the run with no further report. */
  @Test
  void cancellingStopsTheRun() {
    Recorder recorder = new Recorder(2);
    TrainingCancelledException e =
        assertThrows(
            TrainingCancelledException.class,
            () ->
                TabularTrainer.train(
                    CLASSES,
                    classificationSpec(new JsonObject().put("epochs", 10), 7),
                    Device.cpu(),
                    recorder));
    assertEquals(2, recorder.reports.size());
    assertEquals(2, e.epochsCompleted());
  }

  /** Verifies that cancellation is noticed within an epoch, after a batch, before any report. */
  @Test
  void cancellingIsCheckedAfterEveryBatch() {
    AtomicInteger polls = new AtomicInteger();
    List<EpochReport> reports = new ArrayList<>();
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void onEpoch(EpochReport report) {
            reports.add(report);
          }

          @Override
          public boolean cancelled() {
            return polls.incrementAndGet() > 3; // once before training, then after batches 1 and 2
          }
        };

    TrainingCancelledException e =
        assertThrows(
            TrainingCancelledException.class,
            () ->
                TabularTrainer.train(
                    CLASSES,
                    classificationSpec(new JsonObject().put("epochs", 10), 7),
                    Device.cpu(),
                    listener));

    assertEquals(0, e.epochsCompleted());
    assertEquals(List.of(), reports);
    assertEquals(4, polls.get());
  }

  /**
   * Verifies that a learning rate so large that the loss overflows fails the run with advice, not
   * NaN metrics.
   */
  @Test
  void divergenceFailsTheRun() {
    JsonObject hyperparameters =
        new JsonObject().put("optimizer", "sgd").put("learning_rate", 1.0).put("epochs", 50);
    TrainingFailedException e =
        assertThrows(
            TrainingFailedException.class,
            () ->
                TabularTrainer.train(
                    VALUES,
                    regressionSpec("linear", hyperparameters, 3),
                    Device.cpu(),
                    TrainingListener.NONE));

    assertTrue(e.getMessage().contains("hyperparameters.learning_rate"), e.getMessage());
  }

  /**
   * Verifies that with patience 2 a run whose validation loss stalls (a learning rate too small to
   * improve it by the 0.01% that counts) stops two epochs after its best, reporting each epoch run.
   */
  @Test
  void earlyStoppingEndsAStalledRun() throws Exception {
    Recorder recorder = new Recorder(Integer.MAX_VALUE);
    JsonObject hyperparameters =
        new JsonObject().put("epochs", 30).put("learning_rate", 1e-7).put("patience", 2);
    TrainingResult result =
        TabularTrainer.train(
            CLASSES, classificationSpec(hyperparameters, 7), Device.cpu(), recorder);

    assertTrue(result.stoppedEarly());
    assertEquals(3, result.epochsRun());
    assertEquals(3, recorder.reports.size());
  }

  /**
   * Verifies that with patience 2 a model overfitting random labels stops before its last epoch.
   */
  @Test
  void earlyStoppingEndsAnOverfittingRun() throws Exception {
    CsvTable noise = SyntheticTables.classification(600, 13, 1.0);
    Recorder recorder = new Recorder(Integer.MAX_VALUE);
    JsonObject hyperparameters = new JsonObject().put("epochs", 60).put("patience", 2);
    TrainingResult result =
        TabularTrainer.train(noise, classificationSpec(hyperparameters, 7), Device.cpu(), recorder);

    assertTrue(result.stoppedEarly());
    assertTrue(result.epochsRun() < 60, "ran " + result.epochsRun() + " epochs");
    assertEquals(result.epochsRun(), recorder.reports.size());
    // the last `patience` epochs did not beat the best validation loss before them
    List<Double> losses = recorder.reports.stream().map(EpochReport::validationLoss).toList();
    double best =
        losses.subList(0, losses.size() - 2).stream()
            .mapToDouble(Double::doubleValue)
            .min()
            .orElseThrow();
    assertTrue(
        losses.get(losses.size() - 1) >= best * (1 - EpochGuard.MIN_RELATIVE_IMPROVEMENT));
    assertTrue(
        losses.get(losses.size() - 2) >= best * (1 - EpochGuard.MIN_RELATIVE_IMPROVEMENT));
  }

  /**
   * Verifies that a run whose validation loss rises after its best epoch k (a model overfitting
   * random labels) registers epoch k: its metrics, and parameters that predict what epoch k
   * predicted for the held-out rows (which the last epoch did not).
   */
  @Test
  void earlyStoppingKeepsTheBestEpoch() throws Exception {
    CsvTable noise = SyntheticTables.classification(600, 13, 1.0);
    Recorder recorder = new Recorder(Integer.MAX_VALUE);
    JsonObject hyperparameters = new JsonObject().put("epochs", 60).put("patience", 3);
    TrainingResult result =
        TabularTrainer.train(noise, classificationSpec(hyperparameters, 7), Device.cpu(), recorder);

    List<Double> losses = recorder.reports.stream().map(EpochReport::validationLoss).toList();
    int k = losses.indexOf(losses.stream().min(Double::compare).orElseThrow()) + 1;
    assertTrue(result.stoppedEarly());
    assertEquals(k, result.bestEpoch());
    assertEquals(k + 3, result.epochsRun(), "stops patience epochs after the best");
    Evaluation.Classification best = (Evaluation.Classification) recorder.reports.get(k - 1).evaluation();
    Evaluation.Classification last =
        (Evaluation.Classification) recorder.reports.get(result.epochsRun() - 1).evaluation();
    assertEquals(best.toJson(), result.evaluation().toJson());
    assertFalse(best.predicted().equals(last.predicted()), "epochs k and last predict alike: no proof");
    try (TabularModel model =
        TabularModel.load(
            result.modelSpec(), result.modelParameters(), result.preprocessing(), result.labels(), Device.cpu())) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int row : best.rows()) {
        rows.add(rawRow(noise, row));
      }
      List<String> predicted =
          model.predict(rows).stream().map(p -> ((Prediction.Classification) p).label()).toList();
      assertEquals(best.predicted(), predicted);
    }
  }

  /**
   * Verifies that without patience the last epoch is the one registered, named as best_epoch.
   */
  @Test
  void withoutPatienceTheLastEpochIsKept() {
    assertEquals(15, classifier.bestEpoch());
    assertEquals(
        classifierReports.get(14).evaluation().toJson(), classifier.evaluation().toJson());
  }

  /**
   * Verifies that the default split of a classification holds out each class in proportion: 18
   * of 90 majority rows and 2 of 10 minority rows at 0.2, where a random split may not.
   */
  @Test
  void stratifiedSplitKeepsClassShares() {
    int[] strata = new int[100];
    for (int i = 90; i < 100; i++) {
      strata[i] = 1;
    }
    for (long seed = 0; seed < 20; seed++) {
      int[][] split = TabularTrainer.split(100, 0.2, strata, new Random(seed));
      assertEquals(20, split[1].length);
      assertEquals(80, split[0].length);
      assertEquals(2, Arrays.stream(split[1]).filter(r -> r >= 90).count(), "seed " + seed);
      assertEquals(100, Arrays.stream(split[0]).distinct().count() + Arrays.stream(split[1]).distinct().count());
    }
    int[][] folds = TabularTrainer.folds(java.util.stream.IntStream.range(0, 100).toArray(), strata, 5, new Random(1));
    for (int[] fold : folds) {
      assertEquals(20, fold.length);
      assertEquals(2, Arrays.stream(fold).filter(r -> r >= 90).count());
    }
  }

  /**
   * Verifies that balanced class weights make a classifier find more of a rare class (10% of the
   * rows, overlapping the common one) than unweighted training does.
   */
  @Test
  void balancedClassWeightRaisesRareClassRecall() throws Exception {
    Random random = new Random(21);
    StringBuilder csv = new StringBuilder("x,label\n");
    for (int i = 0; i < 800; i++) {
      boolean rare = random.nextDouble() < 0.1;
      double x = random.nextGaussian() + (rare ? 1.5 : 0);
      csv.append(String.format(java.util.Locale.ROOT, "%.4f,%s%n", x, rare ? "rare" : "common"));
    }
    CsvTable table = SyntheticTables.parse(csv.toString());
    JsonObject request = new JsonObject().put("task", "classification").put("label", "label")
        .put("architecture", "linear").put("hyperparameters", new JsonObject().put("epochs", 15)).put("seed", 3);

    double unweighted = rareRecall(TabularTrainer.train(table, TrainingSpec.parse(request).orElseThrow(),
        Device.cpu(), TrainingListener.NONE));
    double balanced = rareRecall(TabularTrainer.train(table,
        TrainingSpec.parse(request.copy().put("class_weight", "balanced")).orElseThrow(), Device.cpu(),
        TrainingListener.NONE));

    assertTrue(balanced > unweighted + 0.2, "rare recall " + balanced + " balanced vs " + unweighted);
  }

  /**
   * Verifies that cv_folds reports each metric's mean and spread over the folds while the
   * registered model is the one trained on the training split, as without folds; and that a
   * binary classifier's stored metrics hold ROC AUC, PR AUC, bounded curves and the log loss.
   */
  @Test
  void crossValidationAndBinaryMetrics() throws Exception {
    CsvTable binary = binaryTable();
    JsonObject request = new JsonObject().put("task", "classification").put("label", "label")
        .put("architecture", "mlp").put("hyperparameters", new JsonObject().put("epochs", 4)).put("seed", 5);

    TrainingResult plain =
        TabularTrainer.train(binary, TrainingSpec.parse(request).orElseThrow(), Device.cpu(), TrainingListener.NONE);
    TrainingResult folded = TabularTrainer.train(binary,
        TrainingSpec.parse(request.copy().put("cv_folds", 3)).orElseThrow(), Device.cpu(), TrainingListener.NONE);

    assertArrayEquals(plain.modelParameters(), folded.modelParameters());
    assertEquals(plain.evaluation().toJson(), folded.evaluation().toJson());
    assertEquals(null, plain.crossValidation());
    JsonObject cv = folded.metricsJson().getJsonObject("cross_validation");
    assertEquals(3, cv.getInteger("folds"));
    for (String metric : List.of("accuracy", "f1_macro", "log_loss", "roc_auc", "pr_auc")) {
      JsonObject summary = cv.getJsonObject("metrics").getJsonObject(metric);
      assertTrue(summary.getDouble("std") > 0, metric + " spread " + summary);
      assertTrue(summary.getDouble("mean") > 0, metric + " mean " + summary);
    }
    assertTrue(cv.getJsonObject("metrics").getJsonObject("roc_auc").getDouble("mean") > 0.8, cv.encode());

    JsonObject metrics = plain.metricsJson();
    assertTrue(metrics.getDouble("roc_auc") > 0.8, metrics.encode());
    assertTrue(metrics.getDouble("pr_auc") > 0.5, metrics.encode());
    assertTrue(metrics.getDouble("log_loss") > 0, metrics.encode());
    assertEquals("yes", metrics.getString("positive_label"));
    int points = metrics.getJsonObject("roc_curve").getJsonArray("fpr").size();
    assertTrue(points > 2 && points <= BinaryCurves.MAX_POINTS, points + " ROC points");
    assertEquals(metrics.getJsonObject("pr_curve").getJsonArray("recall").size(),
        metrics.getJsonObject("pr_curve").getJsonArray("precision").size());
    // the log loss is that of the probabilities the served model gives the held-out rows
    Evaluation.Classification evaluation = (Evaluation.Classification) plain.evaluation();
    try (TabularModel model = TabularModel.load(
        plain.modelSpec(), plain.modelParameters(), plain.preprocessing(), plain.labels(), Device.cpu())) {
      double logLoss = 0;
      for (int row : evaluation.rows()) {
        Prediction.Classification p =
            (Prediction.Classification) model.predict(List.of(rawRow(binary, row))).get(0);
        logLoss -= Math.log(p.probabilities().get(binary.value(row, binary.columnIndex("label"))));
      }
      assertEquals(logLoss / evaluation.rows().length, metrics.getDouble("log_loss"), 1e-4);
    }
  }

  /** Verifies that a regressor's stored metrics summarize its held-out residuals. */
  @Test
  void regressionStoresResidualQuantiles() throws Exception {
    TrainingResult result = TabularTrainer.train(VALUES,
        regressionSpec("linear", new JsonObject().put("epochs", 5).put("learning_rate", 0.03), 3),
        Device.cpu(), TrainingListener.NONE);
    Evaluation.Regression evaluation = (Evaluation.Regression) result.evaluation();
    double[] residuals = new double[evaluation.rows().length];
    int y = VALUES.columnIndex("y");
    for (int i = 0; i < residuals.length; i++) {
      residuals[i] = VALUES.number(evaluation.rows()[i], y) - evaluation.predicted()[i];
    }
    Arrays.sort(residuals);
    JsonObject summary = result.metricsJson().getJsonObject("residuals");
    assertEquals(residuals[0], summary.getDouble("min"), 1e-9);
    assertEquals(residuals[residuals.length - 1], summary.getDouble("max"), 1e-9);
    // 120 residuals: the median is halfway between the 60th and 61st
    assertEquals((residuals[59] + residuals[60]) / 2, summary.getDouble("median"), 1e-9);
  }

  /**
   * Verifies that the artifact reloads into a model that predicts what the evaluation recorded for
   * the held-out rows, from raw maps as a client sends them, missing values included.
   */
  @Test
  void artifactReloadsAndPredictsRawRows() {
    Evaluation.Classification evaluation = (Evaluation.Classification) classifier.evaluation();
    try (TabularModel model =
        TabularModel.load(
            classifier.modelSpec(),
            classifier.modelParameters(),
            classifier.preprocessing(),
            classifier.labels(),
            Device.cpu())) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int row : evaluation.rows()) {
        rows.add(rawRow(CLASSES, row));
      }
      List<Prediction> predictions = model.predict(rows);
      assertEquals(rows.size(), predictions.size());
      for (int i = 0; i < rows.size(); i++) {
        Prediction.Classification p = (Prediction.Classification) predictions.get(i);
        assertEquals(evaluation.predicted().get(i), p.label(), "held-out row " + i);
        double sum = p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, sum, 1e-5);
      }

      // Numbers as numbers, a missing key, a null and an unseen category all still predict.
      Map<String, Object> sparse = new HashMap<>();
      sparse.put("x1", 80.0);
      sparse.put("color", null);
      List<Prediction> answers =
          model.predict(List.of(sparse, Map.of("x2", "99", "color", "purple"), Map.of()));
      assertEquals(3, answers.size());
      // x1 three standard deviations up alone puts the score far above the "high" threshold
      assertEquals("high", ((Prediction.Classification) answers.get(0)).label());
      assertEquals(List.of("x1", "x2", "color"), model.featureColumns());

      IllegalArgumentException bad =
          assertThrows(
              IllegalArgumentException.class,
              () -> model.predict(List.of(Map.of("x1", 1), Map.of("x1", "tall"))));
      assertTrue(
          bad.getMessage().contains("row 1") && bad.getMessage().contains("'x1'"),
          bad.getMessage());
    }
  }

  /**
   * Verifies that concurrent callers of one loaded model each get the answers a lone caller gets.
   */
  @Test
  void loadedModelServesConcurrentCallers() throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int row = 0; row < 50; row++) {
      rows.add(rawRow(CLASSES, row));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (TabularModel model =
        TabularModel.load(
            classifier.modelSpec(),
            classifier.modelParameters(),
            classifier.preprocessing(),
            classifier.labels(),
            Device.cpu())) {
      List<Prediction> expected = model.predict(rows);
      List<Future<List<Prediction>>> answers = new ArrayList<>();
      for (int call = 0; call < 16; call++) {
        answers.add(pool.submit(() -> model.predict(rows)));
      }
      for (Future<List<Prediction>> answer : answers) {
        assertEquals(expected, answer.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Verifies that a loaded model keeps one Predictor per thread across forward passes of any size,
   * frees those of threads that ended, and answers the same through a reused Predictor.
   */
  @Test
  void loadedModelReusesOnePredictorPerThread() throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int row = 0; row < 20; row++) {
      rows.add(rawRow(CLASSES, row));
    }
    try (TabularModel model =
        TabularModel.load(
            classifier.modelSpec(),
            classifier.modelParameters(),
            classifier.preprocessing(),
            classifier.labels(),
            Device.cpu())) {
      // GIVEN passes of different sizes on this thread
      List<Prediction> first = model.predict(rows);
      List<Prediction> single = model.predict(rows.subList(3, 4));
      List<Prediction> again = model.predict(rows);
      // THEN one Predictor serves them all, with the same answers
      assertEquals(1, model.openPredictors());
      assertEquals(first, again);
      // a pass of one row may round differently from a pass of twenty (MKL), never by more than float noise
      Prediction.Classification inBatch = (Prediction.Classification) first.get(3);
      Prediction.Classification alone = (Prediction.Classification) single.get(0);
      assertEquals(inBatch.label(), alone.label());
      inBatch.probabilities().forEach((label, p) -> assertEquals(p, alone.probabilities().get(label), 1e-6, label));

      // WHEN another thread predicts, it gets its own; once it ended, the next new thread frees it
      Thread other = new Thread(() -> model.predict(rows));
      other.start();
      other.join();
      assertEquals(2, model.openPredictors());
      Thread third = new Thread(() -> model.predict(rows));
      third.start();
      third.join();
      assertEquals(2, model.openPredictors());
    }
  }

  /** Verifies that artifact pieces that do not belong together are refused when loading. */
  @Test
  void mismatchedArtifactIsRefused() {
    JsonObject spec = classifier.modelSpec();
    byte[] parameters = classifier.modelParameters();
    JsonObject preprocessing = classifier.preprocessing();

    assertThrows(
        IllegalArgumentException.class,
        () ->
            TabularModel.load(
                spec, parameters, preprocessing, List.of("high", "low"), Device.cpu()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TabularModel.load(
                spec,
                Arrays.copyOf(parameters, parameters.length / 2),
                preprocessing,
                classifier.labels(),
                Device.cpu()));
    JsonObject wider = spec.copy().put("hidden_units", new JsonArray().add(65).add(32));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TabularModel.load(wider, parameters, preprocessing, classifier.labels(), Device.cpu()));
  }

  /** Verifies that a reloaded regressor returns the evaluation's values on the original scale. */
  @Test
  void regressionArtifactReloads() throws Exception {
    TrainingResult result =
        TabularTrainer.train(
            VALUES,
            regressionSpec(
                "linear", new JsonObject().put("epochs", 5).put("learning_rate", 0.03), 3),
            Device.cpu(),
            TrainingListener.NONE);
    Evaluation.Regression evaluation = (Evaluation.Regression) result.evaluation();
    try (TabularModel model =
        TabularModel.load(
            result.modelSpec(),
            result.modelParameters(),
            result.preprocessing(),
            result.labels(),
            Device.cpu())) {
      List<Prediction> predictions = model.predict(VALUES);
      for (int i = 0; i < evaluation.rows().length; i++) {
        double value = ((Prediction.Regression) predictions.get(evaluation.rows()[i])).value();
        assertEquals(
            evaluation.predicted()[i],
            value,
            1e-3 * Math.max(1, Math.abs(value)),
            "held-out row " + i);
      }
    }
  }

  /**
   * Verifies that a spec that does not fit the table is refused before any training, naming the
   * field.
   */
  @Test
  void specThatDoesNotFitTheTableIsRefused() {
    TrainingSpec spec =
        TrainingSpec.parse(new JsonObject().put("task", "regression").put("label", "class"))
            .orElseThrow();
    TrainingSpecException e =
        assertThrows(
            TrainingSpecException.class,
            () -> TabularTrainer.train(CLASSES, spec, Device.cpu(), TrainingListener.NONE));
    assertEquals("label", e.errors().get(0).field());
    assertTrue(e.errors().get(0).message().contains("not numeric"), e.errors().get(0).message());
  }

  private static TrainingSpec classificationSpec(JsonObject hyperparameters, long seed) {
    return TrainingSpec.parse(
            new JsonObject()
                .put("task", "classification")
                .put("label", "class")
                .put("architecture", "mlp")
                .put("hyperparameters", hyperparameters)
                .put("seed", seed))
        .orElseThrow();
  }

  private static TrainingSpec regressionSpec(
      String architecture, JsonObject hyperparameters, long seed) {
    return TrainingSpec.parse(
            new JsonObject()
                .put("task", "regression")
                .put("label", "y")
                .put("architecture", architecture)
                .put("hyperparameters", hyperparameters)
                .put("seed", seed))
        .orElseThrow();
  }

  /** A two-class table: "yes" when x1 + x2 plus noise is positive, so the classes overlap. */
  private static CsvTable binaryTable() {
    Random random = new Random(8);
    StringBuilder csv = new StringBuilder("x1,x2,label\n");
    for (int i = 0; i < 300; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      boolean yes = x1 + x2 + random.nextGaussian() * 0.7 > 0;
      csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%s%n", x1, x2, yes ? "yes" : "no"));
    }
    return SyntheticTables.parse(csv.toString());
  }

  private static double rareRecall(TrainingResult result) {
    return ((Evaluation.Classification) result.evaluation()).metrics().perClass().get("rare").recall();
  }

  private static double r2(TrainingResult result) {
    return ((Evaluation.Regression) result.evaluation()).metrics().r2();
  }

  /** A table row as a client would send it: raw strings, missing values absent. */
  private static Map<String, Object> rawRow(CsvTable table, int row) {
    Map<String, Object> raw = new HashMap<>();
    for (int c = 0; c < table.columns().size(); c++) {
      if (table.value(row, c) != null) {
        raw.put(table.columns().get(c), table.value(row, c));
      }
    }
    return raw;
  }

  /** The reports as events carry them, but for the throughput: a measured time, never reproduced. */
  private static List<JsonObject> reportsJson(List<EpochReport> reports) {
    return reports.stream().map(r -> {
      JsonObject json = r.toJson();
      json.remove("samples_per_second");
      return json;
    }).toList();
  }

  /** Keeps every report and cancels once it holds {@code cancelAfter} of them. */
  private static final class Recorder implements TrainingListener {
    private final int cancelAfter;
    private final List<EpochReport> reports = new ArrayList<>();

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
