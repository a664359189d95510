package dev.aiaas.worker.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.aiaas.worker.data.CsvTable;
import dev.aiaas.worker.engine.DjlRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Trains a linear model or an MLP on a tabular data set. BLOCKING and CPU/GPU heavy: call it on a
 * worker thread, one run per device at a time.
 *
 * <p>A run is reproducible: the same table, spec and device give the same metrics and weights. The
 * seed drives, in order, the split (rows shuffled with {@code new Random(seed)}), the weights
 * (drawn by {@link SeededInitializer} from that generator, not from MXNet's process-wide one) and
 * the batch order of every epoch. {@code Engine.setRandomSeed} is set too, for any engine-side
 * randomness.
 *
 * <p>Regularization: {@code l1 * sum|w| + l2 * sum(w^2)} over the layers' weights (not biases) is
 * added to each batch's loss; it is not reported in the losses. Early stopping: after {@code
 * patience} epochs in a row whose validation loss does not beat the best so far by at least 0.01%,
 * the run stops; with any patience the BEST epoch's weights (lowest validation loss) are kept and
 * evaluated, see {@link FitLoop}.
 *
 * <p>Data preparation: a classification split is stratified unless the spec says {@code random};
 * {@code class_weight: balanced} weighs each class's loss (training and validation) by {@code rows
 * / (classes * class rows)} of the training split. With {@code cv_folds} k, k more models are
 * trained on folds of the training split only, for the {@link CrossValidation} summary; the
 * returned model is the one trained on the whole training split.
 *
 * <p>Explanation: the returned model's features are ranked by {@link PermutationImportance} on the
 * validation split (the folds' models are not).
 */
public final class TabularTrainer {

  /** Rows per forward pass when evaluating: bounds native memory whatever the split size. */
  static final int EVALUATION_CHUNK = 1024;


  private TabularTrainer() {}

  /**
   * Splits, preprocesses and trains, reporting each epoch to {@code listener}.
   *
   * @param device where to train ({@code Device.cpu()} or {@code Device.gpu(i)})
   * @throws TrainingSpecException if the spec is invalid or does not fit the table
   * @throws TrainingCancelledException if the listener asked to stop (checked after every batch)
   * @throws TrainingFailedException if training diverged or the split cannot be trained on
   */
  public static TrainingResult train(
      CsvTable table, TrainingSpec spec, Device device, TrainingListener listener)
      throws TrainingCancelledException, TrainingFailedException {
    List<FieldError> errors = new ArrayList<>(spec.validate());
    errors.addAll(spec.validateAgainst(table));
    if (!errors.isEmpty()) {
      throw new TrainingSpecException(errors);
    }
    if (listener.cancelled()) {
      throw new TrainingCancelledException(0);
    }
    Random random = new Random(spec.seed());
    int[] strata = TrainingSpec.STRATIFIED.equals(spec.split()) ? classesOf(table, spec.label()) : null;
    int[][] split = split(table.rows(), spec.validationSplit(), strata, random);
    TrainingResult result = fit(table, spec, split, random, device, listener, true);
    if (spec.cvFolds() == 0) {
      return result;
    }
    CrossValidation folds = crossValidate(table, spec, split[0], strata, device, listener);
    return new TrainingResult(result.evaluation(), result.modelParameters(), result.preprocessing(),
        result.labels(), result.epochsRun(), result.stoppedEarly(), result.modelSpec(), result.bestEpoch(), folds,
        result.featureImportance());
  }

  /**
   * Trains one model per fold of the training rows (the folds drawn from {@code new Random(seed +
   * 1)}, stratified as the split is) and summarizes their evaluations on the held-out fold. The
   * folds report no progress but stop when the job is cancelled.
   */
  private static CrossValidation crossValidate(CsvTable table, TrainingSpec spec, int[] trainingRows, int[] strata,
      Device device, TrainingListener listener) throws TrainingCancelledException, TrainingFailedException {
    Random random = new Random(spec.seed() + 1);
    int[][] folds = folds(trainingRows, strata, spec.cvFolds(), random);
    TrainingListener quiet = new TrainingListener() {
      @Override
      public void onEpoch(EpochReport report) {}

      @Override
      public boolean cancelled() {
        return listener.cancelled();
      }
    };
    List<Evaluation> evaluations = new ArrayList<>();
    for (int f = 0; f < folds.length; f++) {
      List<Integer> rest = new ArrayList<>();
      for (int other = 0; other < folds.length; other++) {
        if (other != f) {
          for (int row : folds[other]) {
            rest.add(row);
          }
        }
      }
      int[][] split = {rest.stream().mapToInt(Integer::intValue).toArray(), folds[f]};
      evaluations.add(fit(table, spec, split, random, device, quiet, false).evaluation());
    }
    return CrossValidation.of(evaluations);
  }

  /**
   * Preprocesses and trains on {@code split = {training rows, validation rows}}; with {@code
   * importance}, ranks the features of the kept model by permutation importance on the validation
   * rows (shuffles drawn from {@code new Random(seed + 2)}, so training draws the same either way).
   */
  private static TrainingResult fit(CsvTable table, TrainingSpec spec, int[][] split, Random random, Device device,
      TrainingListener listener, boolean importance) throws TrainingCancelledException, TrainingFailedException {
    Preprocessing preprocessing = Preprocessing.fit(table, spec.label(), split[0]);
    if (preprocessing.width() == 0) {
      throw new TrainingFailedException("no feature column has a value in the training split");
    }
    Targets targets =
        spec.classification()
            ? Targets.classes(table, spec.label(), split)
            : Targets.values(table, spec.label(), split);
    Hyperparameters hp = spec.hyperparameters();
    ModelSpec modelSpec =
        new ModelSpec(
            spec.task(),
            spec.architecture(),
            preprocessing.width(),
            hp.hiddenUnits(),
            targets.outputWidth(),
            targets.mean(),
            targets.std());
    Data data =
        new Data(
            preprocessing.transformRows(table, split[0]),
            targets.training(),
            preprocessing.transformRows(table, split[1]),
            split[1],
            preprocessing.width());
    float[] classWeights =
        TrainingSpec.BALANCED.equals(spec.classWeight())
            ? ClassWeights.balanced(targets.training(), targets.outputWidth())
            : null;

    Engine.getEngine(DjlRuntime.ENGINE_NAME).setRandomSeed((int) spec.seed());
    try (Model model = Model.newInstance("tabular", device, DjlRuntime.ENGINE_NAME)) {
      model.setBlock(modelSpec.newBlock());
      Run run;
      List<FeatureImportance> ranking = List.of();
      try (Trainer trainer = model.newTrainer(config(hp, device, random, classWeights))) {
        trainer.initialize(new Shape(1, preprocessing.width()));
        run = new Run(trainer, hp, modelSpec, targets, data, random, listener, classWeights);
        run.fit(new FitLoop.Splits(data.training(), new Shape(data.trainingRows(), data.width()), data.trainingTargets(),
            data.validation(), new Shape(data.validationCount(), data.width())));
        if (importance) {
          ranking = PermutationImportance.rank(preprocessing.featureColumns(), preprocessing.featureWidths(),
              data.validation(), run::score, new Random(spec.seed() + 2));
        }
      }
      return new TrainingResult(
          run.evaluation(),
          FitLoop.parameters(model.getBlock()),
          preprocessing.toJson(),
          targets.labels(),
          run.epochsRun(),
          run.stoppedEarly(),
          modelSpec.toJson(),
          run.bestEpoch(),
          null,
          ranking);
    }
  }

  /** Each row's label as a class number (the label's distinct values, in order of appearance). */
  static int[] classesOf(CsvTable table, String label) {
    int column = table.columnIndex(label);
    Map<String, Integer> numbers = new HashMap<>();
    int[] classes = new int[table.rows()];
    for (int row = 0; row < classes.length; row++) {
      classes[row] = numbers.computeIfAbsent(table.value(row, column), v -> numbers.size());
    }
    return classes;
  }

  /** {@link HoldOut#split} of {@link TrainingSpec#validationRows} rows. */
  static int[][] split(int rows, double validationSplit, int[] strata, Random random) {
    return HoldOut.split(rows, TrainingSpec.validationRows(rows, validationSplit), strata, random);
  }

  /** {@code rows} shuffled and dealt into {@code k} folds, grouped by class first when {@code strata} is given. */
  static int[][] folds(int[] rows, int[] strata, int k, Random random) {
    List<Integer> order = new ArrayList<>(rows.length);
    for (int row : rows) {
      order.add(row);
    }
    Collections.shuffle(order, random);
    if (strata != null) {
      order.sort(Comparator.comparingInt(row -> strata[row]));
    }
    List<List<Integer>> folds = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      folds.add(new ArrayList<>());
    }
    for (int i = 0; i < order.size(); i++) {
      folds.get(i % k).add(order.get(i));
    }
    return folds.stream().map(f -> f.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
  }

  private static DefaultTrainingConfig config(Hyperparameters hp, Device device, Random random, float[] classWeights) {
    float learningRate = (float) hp.learningRate();
    Optimizer optimizer =
        Hyperparameters.SGD.equals(hp.optimizer())
            ? Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate)).build()
            : Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
    Loss loss = classWeights == null ? loss(hp.loss()) : ClassWeights.softmaxCrossEntropy(hp.loss(), classWeights);
    return new DefaultTrainingConfig(loss)
        .optOptimizer(optimizer)
        .optDevices(new Device[] {device})
        .optInitializer(new SeededInitializer(random), Parameter.Type.WEIGHT)
        .optInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
  }

  private static Loss loss(String name) {
    // Explicit weights: l2 is the plain squared error here (DJL's default halves it), so the
    // validation loss computed in Java by Run.rowLoss means the same thing.
    return switch (name) {
      case Hyperparameters.L2_LOSS -> Loss.l2Loss(name, 1f);
      case Hyperparameters.L1_LOSS -> Loss.l1Loss(name, 1f);
      default -> Loss.softmaxCrossEntropyLoss(name);
    };
  }

  /** The encoded rows of both splits. */
  private record Data(
      float[] training,
      float[] trainingTargets,
      float[] validation,
      int[] validationRows,
      int width) {

    int trainingRows() {
      return trainingTargets.length;
    }

    int validationCount() {
      return validationRows.length;
    }
  }

  /**
   * The label as the network sees it: class indices (classes = the training split's distinct
   * values, sorted) or the standardized value. Validation rows are scored against {@code
   * evaluationLabels}, which also holds classes that only occur in the validation split (the model
   * can never predict them, so they count as errors).
   */
  private record Targets(
      List<String> labels,
      float[] training,
      List<String> evaluationLabels,
      int[] validationClasses,
      int[] modelToEvaluation,
      double[] validationValues,
      double mean,
      double std) {

    int outputWidth() {
      return labels.isEmpty() ? 1 : labels.size();
    }

    static Targets classes(CsvTable table, String label, int[][] split)
        throws TrainingFailedException {
      int column = table.columnIndex(label);
      TreeSet<String> classes = new TreeSet<>();
      for (int row : split[0]) {
        classes.add(table.value(row, column));
      }
      if (classes.size() < 2) {
        throw new TrainingFailedException(
            "the training split holds a single class ('"
                + classes.first()
                + "'); add rows of other classes or choose another seed or validation_split");
      }
      List<String> labels = List.copyOf(classes);
      TreeSet<String> all = new TreeSet<>(classes);
      for (int row : split[1]) {
        all.add(table.value(row, column));
      }
      List<String> evaluationLabels = List.copyOf(all);
      float[] training = new float[split[0].length];
      for (int i = 0; i < training.length; i++) {
        training[i] = Collections.binarySearch(labels, table.value(split[0][i], column));
      }
      int[] validation = new int[split[1].length];
      for (int i = 0; i < validation.length; i++) {
        validation[i] =
            Collections.binarySearch(evaluationLabels, table.value(split[1][i], column));
      }
      int[] modelToEvaluation = new int[labels.size()];
      for (int i = 0; i < modelToEvaluation.length; i++) {
        modelToEvaluation[i] = Collections.binarySearch(evaluationLabels, labels.get(i));
      }
      return new Targets(
          labels, training, evaluationLabels, validation, modelToEvaluation, null, 0, 1);
    }

    static Targets values(CsvTable table, String label, int[][] split) {
      int column = table.columnIndex(label);
      double mean = 0;
      for (int row : split[0]) {
        mean += table.number(row, column);
      }
      mean /= split[0].length;
      double squares = 0;
      for (int row : split[0]) {
        double d = table.number(row, column) - mean;
        squares += d * d;
      }
      double std = Math.sqrt(squares / split[0].length);
      if (!(std > 0) || !Double.isFinite(std)) {
        std = 1; // a constant label: nothing to scale
      }
      float[] training = new float[split[0].length];
      for (int i = 0; i < training.length; i++) {
        training[i] = (float) ((table.number(split[0][i], column) - mean) / std);
      }
      double[] validation = new double[split[1].length];
      for (int i = 0; i < validation.length; i++) {
        validation[i] = table.number(split[1][i], column);
      }
      return new Targets(List.of(), training, List.of(), null, null, validation, mean, std);
    }
  }

  /** One training run: how a tabular model's outputs are scored; the loop is {@link FitLoop}'s. */
  private static final class Run extends FitLoop {
    private final Hyperparameters hp;
    private final ModelSpec modelSpec;
    private final Targets targets;
    private final Data data;
    private final float[] classWeights;

    Run(Trainer trainer, Hyperparameters hp, ModelSpec modelSpec, Targets targets, Data data, Random random,
        TrainingListener listener, float[] classWeights) {
      super(trainer, hp, random, listener, EVALUATION_CHUNK);
      this.hp = hp;
      this.modelSpec = modelSpec;
      this.targets = targets;
      this.data = data;
      this.classWeights = classWeights;
    }

    @Override
    protected int outputWidth() {
      return modelSpec.outputWidth();
    }

    /** The main metric of the kept model on encoded validation rows (in the validation rows' order). */
    double score(float[] validation) {
      float[] outputs = outputs(FitLoop.Rows.of(validation, new Shape(data.validationCount(), data.width())));
      return PermutationImportance.mainMetric(evaluate(outputs));
    }

    /** The mean per-row validation loss, defined as the training loss is (see {@link #loss}). */
    @Override
    protected double validationLoss(float[] outputs) {
      double sum = 0;
      int counted = 0;
      int width = modelSpec.outputWidth();
      for (int i = 0; i < data.validationCount(); i++) {
        if (modelSpec.classification()) {
          int modelClass =
              modelClass(targets.evaluationLabels().get(targets.validationClasses()[i]));
          if (modelClass < 0) {
            continue; // a class the model has no output for has no loss
          }
          double rowLoss = Logits.crossEntropy(outputs, i, width, modelClass);
          sum += classWeights == null ? rowLoss : classWeights[modelClass] * rowLoss;
        } else {
          double target = (targets.validationValues()[i] - targets.mean()) / targets.std();
          double error = target - outputs[i];
          sum += Hyperparameters.L1_LOSS.equals(hp.loss()) ? Math.abs(error) : error * error;
        }
        counted++;
      }
      return counted == 0 ? 0 : sum / counted;
    }

    private int modelClass(String label) {
      int i = Collections.binarySearch(targets.labels(), label);
      return i < 0 ? -1 : i;
    }

    @Override
    protected Evaluation evaluate(float[] outputs) {
      int rows = data.validationCount();
      if (modelSpec.classification()) {
        int width = modelSpec.outputWidth();
        int[] predicted = new int[rows];
        List<String> predictedLabels = new ArrayList<>(rows);
        double[][] probabilities = new double[rows][targets.evaluationLabels().size()];
        for (int i = 0; i < rows; i++) {
          double[] p = Logits.softmax(outputs, i, width);
          for (int c = 0; c < width; c++) {
            probabilities[i][targets.modelToEvaluation()[c]] = p[c];
          }
          int best = Logits.argmax(outputs, i, width);
          predicted[i] = targets.modelToEvaluation()[best];
          predictedLabels.add(targets.labels().get(best));
        }
        ClassificationMetrics metrics =
            Metrics.classification(
                targets.validationClasses(), predicted, targets.evaluationLabels());
        ScoreMetrics scores =
            ScoreMetrics.of(targets.validationClasses(), probabilities, targets.evaluationLabels());
        return new Evaluation.Classification(
            metrics, data.validationRows().clone(), predictedLabels, scores);
      }
      double[] predicted = new double[rows];
      for (int i = 0; i < rows; i++) {
        predicted[i] = outputs[i] * targets.std() + targets.mean();
      }
      RegressionMetrics metrics = Metrics.regression(targets.validationValues(), predicted);
      return new Evaluation.Regression(metrics, data.validationRows().clone(), predicted,
          Residuals.of(targets.validationValues(), predicted));
    }
  }
}
