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
import java.util.List;
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
 * the run stops and keeps the LAST epoch's weights (not the best ones: no copy of the weights is
 * held, and with a small patience the difference is small); the evaluation is of those weights.
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
    int[][] split = split(table.rows(), spec.validationSplit(), random);
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

    Engine.getEngine(DjlRuntime.ENGINE_NAME).setRandomSeed((int) spec.seed());
    try (Model model = Model.newInstance("tabular", device, DjlRuntime.ENGINE_NAME)) {
      model.setBlock(modelSpec.newBlock());
      Run run;
      try (Trainer trainer = model.newTrainer(config(hp, device, random))) {
        trainer.initialize(new Shape(1, preprocessing.width()));
        run = new Run(trainer, hp, modelSpec, targets, data, random, listener);
        run.fit(new FitLoop.Splits(data.training(), new Shape(data.trainingRows(), data.width()), data.trainingTargets(),
            data.validation(), new Shape(data.validationCount(), data.width())));
      }
      return new TrainingResult(
          run.evaluation(),
          FitLoop.parameters(model.getBlock()),
          preprocessing.toJson(),
          targets.labels(),
          run.epochsRun(),
          run.stoppedEarly(),
          modelSpec.toJson());
    }
  }

  /** Shuffles the row indices and cuts them: {training rows, validation rows}. */
  static int[][] split(int rows, double validationSplit, Random random) {
    List<Integer> order = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    int validation = TrainingSpec.validationRows(rows, validationSplit);
    int[] training = order.subList(validation, rows).stream().mapToInt(Integer::intValue).toArray();
    int[] held = order.subList(0, validation).stream().mapToInt(Integer::intValue).toArray();
    return new int[][] {training, held};
  }

  private static DefaultTrainingConfig config(Hyperparameters hp, Device device, Random random) {
    float learningRate = (float) hp.learningRate();
    Optimizer optimizer =
        Hyperparameters.SGD.equals(hp.optimizer())
            ? Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate)).build()
            : Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
    return new DefaultTrainingConfig(loss(hp.loss()))
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

    Run(Trainer trainer, Hyperparameters hp, ModelSpec modelSpec, Targets targets, Data data, Random random,
        TrainingListener listener) {
      super(trainer, hp, random, listener, EVALUATION_CHUNK);
      this.hp = hp;
      this.modelSpec = modelSpec;
      this.targets = targets;
      this.data = data;
    }

    @Override
    protected int outputWidth() {
      return modelSpec.outputWidth();
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
          double max = Double.NEGATIVE_INFINITY;
          for (int c = 0; c < width; c++) {
            max = Math.max(max, outputs[i * width + c]);
          }
          double exp = 0;
          for (int c = 0; c < width; c++) {
            exp += Math.exp(outputs[i * width + c] - max);
          }
          sum += max + Math.log(exp) - outputs[i * width + modelClass];
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
        for (int i = 0; i < rows; i++) {
          int best = 0;
          for (int c = 1; c < width; c++) {
            if (outputs[i * width + c] > outputs[i * width + best]) {
              best = c;
            }
          }
          predicted[i] = targets.modelToEvaluation()[best];
          predictedLabels.add(targets.labels().get(best));
        }
        ClassificationMetrics metrics =
            Metrics.classification(
                targets.validationClasses(), predicted, targets.evaluationLabels());
        return new Evaluation.Classification(
            metrics, data.validationRows().clone(), predictedLabels);
      }
      double[] predicted = new double[rows];
      for (int i = 0; i < rows; i++) {
        predicted[i] = outputs[i] * targets.std() + targets.mean();
      }
      RegressionMetrics metrics = Metrics.regression(targets.validationValues(), predicted);
      return new Evaluation.Regression(metrics, data.validationRows().clone(), predicted);
    }
  }
}
