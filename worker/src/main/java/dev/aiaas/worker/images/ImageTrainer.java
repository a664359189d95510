package dev.aiaas.worker.images;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.aiaas.worker.engine.DjlRuntime;
import dev.aiaas.worker.training.ClassWeights;
import dev.aiaas.worker.training.ClassificationMetrics;
import dev.aiaas.worker.training.FitLoop;
import dev.aiaas.worker.training.Evaluation;
import dev.aiaas.worker.training.HoldOut;
import dev.aiaas.worker.training.Hyperparameters;
import dev.aiaas.worker.training.Logits;
import dev.aiaas.worker.training.Metrics;
import dev.aiaas.worker.training.ScoreMetrics;
import dev.aiaas.worker.training.TrainingCancelledException;
import dev.aiaas.worker.training.TrainingFailedException;
import dev.aiaas.worker.training.TrainingListener;
import dev.aiaas.worker.training.TrainingResult;
import dev.aiaas.worker.training.TrainingSpec;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Trains the small convnet of {@link BatchNormNet} on an {@link ImageSet}. BLOCKING and CPU/GPU
 * heavy: call it on a worker thread, one run per device at a time.
 *
 * <p>Images become grayscale {@code size x size} in [0, 1] (see {@link #preprocessing}); they stay
 * one byte per pixel in the set and only the batch in hand is expanded to floats. A run is
 * reproducible as {@code TabularTrainer}'s is: {@code new Random(seed)} drives, in order, the split
 * (image indices shuffled), the weights, the augmentation's own generator (drawn only with {@code
 * augment}) and each epoch's batch order; {@code Engine.setRandomSeed} is set too, and seeds the
 * engine's dropout masks (so two runs at once on one process may differ in those). Loss: softmax
 * cross-entropy (means per image), plus the {@code l1}/{@code l2} penalties of the hyperparameters
 * over the layers' weights (not in the reported losses). Early stopping: as {@code
 * TabularTrainer}. {@code hidden_units} is not used: {@code conv_channels} and {@code dropout} size
 * the network.
 *
 * <p>Data preparation and evaluation are the tabular ones ({@link HoldOut}, {@link ClassWeights},
 * {@link ScoreMetrics}): a stratified split by default, {@code class_weight: balanced} weighing
 * training and validation loss, and log loss (plus ROC/PR AUC and curves for two classes) on the
 * validation split. Cross-validation is not offered: k more convnets per job cost too much.
 */
public final class ImageTrainer {

  /** The default side images are resized to. */
  public static final int DEFAULT_SIZE = 28;

  /** Images per forward pass when evaluating: bounds native memory whatever the split size. */
  static final int EVALUATION_CHUNK = 256;


  private ImageTrainer() {}

  /** What the served model must do to an image: {@code {"resize":size,"grayscale":true,...}}. */
  public static JsonObject preprocessing(int size) {
    return new JsonObject().put("resize", size).put("grayscale", true).put("scale", "0-1");
  }

  /**
   * Trains as {@code spec} says (its hyperparameters, validation split, seed, {@code split} and
   * {@code class_weight}), reporting each epoch to {@code listener}.
   *
   * @throws IllegalArgumentException if the spec is not a cnn classification or asks for folds
   * @throws TrainingCancelledException if the listener asked to stop (checked after every batch)
   * @throws TrainingFailedException if training diverged or the training split holds one class
   */
  public static TrainingResult train(ImageSet images, TrainingSpec spec, Device device, TrainingListener listener)
      throws TrainingCancelledException, TrainingFailedException {
    if (!TrainingSpec.CNN.equals(spec.architecture()) || !spec.classification() || spec.cvFolds() != 0) {
      throw new IllegalArgumentException("not an image classification spec: " + spec.toJson().encode());
    }
    return train(images, net(images, spec.hyperparameters()), spec.hyperparameters(), spec.validationSplit(),
        spec.seed(), new Preparation(TrainingSpec.STRATIFIED.equals(spec.split()),
            TrainingSpec.BALANCED.equals(spec.classWeight())), device, listener);
  }

  /**
   * Splits at random, preprocesses and trains with every image weighing alike, reporting each
   * epoch to {@code listener}.
   *
   * @param validationSplit the fraction of images held out, in (0, 1); at least one image is held
   *     out and at least one is trained on
   * @param images read at the side images are resized to, {@value ConvNet#MIN_SIZE} to {@value
   *     ConvNet#MAX_SIZE} (typically {@value #DEFAULT_SIZE})
   * @param device where to train ({@code Device.cpu()} or {@code Device.gpu(i)})
   * @throws IllegalArgumentException if the split, size or loss is out of range
   * @throws TrainingCancelledException if the listener asked to stop (checked after every batch)
   * @throws TrainingFailedException if training diverged or the training split holds one class
   */
  public static TrainingResult train(
      ImageSet images,
      Hyperparameters hp,
      double validationSplit,
      long seed,
      Device device,
      TrainingListener listener)
      throws TrainingCancelledException, TrainingFailedException {
    return train(images, net(images, hp), hp, validationSplit, seed, Preparation.PLAIN, device, listener);
  }

  private static BatchNormNet net(ImageSet images, Hyperparameters hp) {
    if (hp.convChannels().isEmpty()) {
      throw new IllegalArgumentException("a cnn needs conv_channels");
    }
    return new BatchNormNet(images.size(), images.classes().size(), hp.convChannels(), hp.dropout());
  }

  /** As {@link #train(ImageSet, Hyperparameters, double, long, Device, TrainingListener)}, with the given layers. */
  static TrainingResult train(
      ImageSet images,
      ConvNet net,
      Hyperparameters hp,
      double validationSplit,
      long seed,
      Device device,
      TrainingListener listener)
      throws TrainingCancelledException, TrainingFailedException {
    return train(images, net, hp, validationSplit, seed, Preparation.PLAIN, device, listener);
  }

  /** How the images are held out and weighed: {@code split} and {@code class_weight}. */
  record Preparation(boolean stratified, boolean balanced) {
    static final Preparation PLAIN = new Preparation(false, false);
  }

  private static TrainingResult train(
      ImageSet images,
      ConvNet net,
      Hyperparameters hp,
      double validationSplit,
      long seed,
      Preparation preparation,
      Device device,
      TrainingListener listener)
      throws TrainingCancelledException, TrainingFailedException {
    if (!(validationSplit > 0 && validationSplit < 1)) {
      throw new IllegalArgumentException(
          "the validation split must be between 0 and 1 (exclusive), not " + validationSplit);
    }
    if (!Hyperparameters.SOFTMAX_CROSS_ENTROPY.equals(hp.loss())) {
      throw new IllegalArgumentException(
          "image classification uses the "
              + Hyperparameters.SOFTMAX_CROSS_ENTROPY
              + " loss, not "
              + hp.loss());
    }
    List<String> labels = images.classes();
    int size = images.size();
    if (net.size() != size || net.classes() != labels.size()) {
      throw new IllegalArgumentException("the network does not fit the image set");
    }
    if (images.count() < 2) {
      throw new TrainingFailedException("at least two images are needed");
    }
    if (listener.cancelled()) {
      throw new TrainingCancelledException(0);
    }
    Random random = new Random(seed);
    int[][] split = split(images, validationSplit, preparation.stratified(), random);
    Data data = Data.of(images, split);
    Set<Integer> trainingClasses = new HashSet<>();
    for (float c : data.trainingTargets()) {
      trainingClasses.add((int) c);
    }
    if (trainingClasses.size() < 2) {
      throw new TrainingFailedException(
          "the training split holds a single class ('"
              + labels.get((int) data.trainingTargets()[0])
              + "'); add images of other classes or choose another seed or validation split");
    }
    float[] classWeights = preparation.balanced() ? ClassWeights.balanced(data.trainingTargets(), labels.size()) : null;

    Engine.getEngine(DjlRuntime.ENGINE_NAME).setRandomSeed((int) seed);
    try (Model model = Model.newInstance("image-cnn", device, DjlRuntime.ENGINE_NAME)) {
      model.setBlock(net.newBlock());
      Run run;
      try (Trainer trainer = model.newTrainer(config(hp, device, random, classWeights))) {
        trainer.initialize(net.inputShape(1));
        Augmenter augmenter = hp.augment() ? new Augmenter(size, new Random(random.nextLong())) : null;
        run = new Run(trainer, hp, labels, data, random, listener, classWeights);
        run.fit(new FitLoop.Splits(new Subset(images, split[0], net, augmenter), data.trainingTargets(),
            new Subset(images, split[1], net, null)));
      }
      return new TrainingResult(
          run.evaluation(),
          FitLoop.parameters(model.getBlock()),
          preprocessing(size),
          labels,
          run.epochsRun(),
          run.stoppedEarly(),
          net.toJson(),
          run.bestEpoch(),
          null);
    }
  }

  /**
   * {@link HoldOut#split}, stratified by class or not, of {@code round(count * validationSplit)}
   * images, at least one held out and one trained on.
   */
  static int[][] split(ImageSet images, double validationSplit, boolean stratified, Random random) {
    int count = images.count();
    int validation = (int) Math.round(count * validationSplit);
    validation = Math.max(1, Math.min(count - 1, validation));
    int[] strata = null;
    if (stratified) {
      strata = new int[count];
      for (int i = 0; i < count; i++) {
        strata[i] = images.label(i);
      }
    }
    return HoldOut.split(count, validation, strata, random);
  }

  private static DefaultTrainingConfig config(Hyperparameters hp, Device device, Random random, float[] classWeights) {
    float learningRate = (float) hp.learningRate();
    Optimizer optimizer =
        Hyperparameters.SGD.equals(hp.optimizer())
            ? Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate)).build()
            : Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
    return new DefaultTrainingConfig(ClassWeights.softmaxCrossEntropy(hp.loss(), classWeights))
        .optOptimizer(optimizer)
        .optDevices(new Device[] {device})
        .optInitializer(new ConvNet.SeededGlorot(random), Parameter.Type.WEIGHT)
        .optInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
  }

  /** The class indices of both splits (the pixels stay in the {@link ImageSet}). */
  private record Data(float[] trainingTargets, int[] validationClasses, int[] validationRows) {

    static Data of(ImageSet images, int[][] split) {
      float[] targets = new float[split[0].length];
      for (int i = 0; i < targets.length; i++) {
        targets[i] = images.label(split[0][i]);
      }
      int[] validation = new int[split[1].length];
      for (int i = 0; i < validation.length; i++) {
        validation[i] = images.label(split[1][i]);
      }
      return new Data(targets, validation, split[1].clone());
    }

    int validationCount() {
      return validationRows.length;
    }
  }

  /**
   * Some images of a set, as network input rows expanded one batch at a time; with an augmenter
   * (the training split only), each row is randomly transformed as it is expanded, so every epoch
   * sees new variants.
   */
  private record Subset(ImageSet images, int[] rows, ConvNet net, Augmenter augmenter)
      implements FitLoop.Rows {

    @Override
    public int count() {
      return rows.length;
    }

    @Override
    public int width() {
      return images.size() * images.size();
    }

    @Override
    public Shape shape(int count) {
      return net.inputShape(count);
    }

    @Override
    public void copy(int row, float[] into, int offset) {
      images.copy(rows[row], into, offset);
      if (augmenter != null) {
        augmenter.apply(into, offset);
      }
    }
  }

  /** One training run: how an image classifier's outputs are scored; the loop is {@link FitLoop}'s. */
  private static final class Run extends FitLoop {
    private final List<String> labels;
    private final Data data;
    private final float[] classWeights;

    Run(Trainer trainer, Hyperparameters hp, List<String> labels, Data data, Random random, TrainingListener listener,
        float[] classWeights) {
      super(trainer, hp, random, listener, EVALUATION_CHUNK);
      this.labels = labels;
      this.data = data;
      this.classWeights = classWeights;
    }

    @Override
    protected int outputWidth() {
      return labels.size();
    }

    /** The mean per-image softmax cross-entropy of the validation images, weighed as in training. */
    @Override
    protected double validationLoss(float[] outputs) {
      int width = labels.size();
      double sum = 0;
      for (int i = 0; i < data.validationCount(); i++) {
        int actual = data.validationClasses()[i];
        double loss = Logits.crossEntropy(outputs, i, width, actual);
        sum += classWeights == null ? loss : classWeights[actual] * loss;
      }
      return sum / data.validationCount();
    }

    @Override
    protected Evaluation evaluate(float[] outputs) {
      int width = labels.size();
      int rows = data.validationCount();
      int[] predicted = new int[rows];
      List<String> predictedLabels = new ArrayList<>(rows);
      double[][] probabilities = new double[rows][];
      for (int i = 0; i < rows; i++) {
        probabilities[i] = Logits.softmax(outputs, i, width);
        predicted[i] = Logits.argmax(outputs, i, width);
        predictedLabels.add(labels.get(predicted[i]));
      }
      ClassificationMetrics metrics =
          Metrics.classification(data.validationClasses(), predicted, labels);
      ScoreMetrics scores = ScoreMetrics.of(data.validationClasses(), probabilities, labels);
      return new Evaluation.Classification(metrics, data.validationRows().clone(), predictedLabels, scores);
    }
  }
}
