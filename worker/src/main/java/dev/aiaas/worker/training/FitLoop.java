package dev.aiaas.worker.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.Sampler;
import ai.djl.translate.TranslateException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The training loop both trainers share: shuffled batches each epoch (from the run's seeded
 * generator), the L1/L2 weight penalty, cancellation after every batch, evaluation on the
 * validation split after every epoch, the divergence check and early stopping. A trainer says only
 * how its outputs are scored ({@link #validationLoss}, {@link #evaluate}).
 */
public abstract class FitLoop {

  /** Both splits as the network takes them: features (row-major) with their shapes, and the training targets. */
  public record Splits(float[] training, Shape trainingShape, float[] trainingTargets, float[] validation, Shape validationShape) {

    int trainingCount() {
      return (int) trainingShape.get(0);
    }

    int validationCount() {
      return (int) validationShape.get(0);
    }
  }

  private final Trainer trainer;
  private final Hyperparameters hp;
  private final Random random;
  private final TrainingListener listener;
  private final int evaluationChunk;
  private final List<NDArray> weights = new ArrayList<>();
  private Evaluation evaluation;
  private int epochsRun;
  private boolean stoppedEarly;

  /** {@code evaluationChunk}: rows per forward pass when scoring the validation split. */
  protected FitLoop(Trainer trainer, Hyperparameters hp, Random random, TrainingListener listener, int evaluationChunk) {
    this.trainer = trainer;
    this.hp = hp;
    this.random = random;
    this.listener = listener;
    this.evaluationChunk = evaluationChunk;
    trainer.getModel().getBlock().getParameters().values().stream()
        .filter(p -> p.getType() == Parameter.Type.WEIGHT)
        .forEach(p -> weights.add(p.getArray()));
  }

  /** Values per row the network outputs. */
  protected abstract int outputWidth();

  /** The mean per-row validation loss of the network's raw outputs, defined as the training loss is. */
  protected abstract double validationLoss(float[] outputs);

  /** The metrics of the network's raw outputs on the validation split. */
  protected abstract Evaluation evaluate(float[] outputs);

  /** The evaluation after the last epoch run. */
  public Evaluation evaluation() {
    return evaluation;
  }

  public int epochsRun() {
    return epochsRun;
  }

  public boolean stoppedEarly() {
    return stoppedEarly;
  }

  /** Trains up to {@code hp.epochs()} epochs, reporting each to the listener. */
  public final void fit(Splits splits) throws TrainingCancelledException, TrainingFailedException {
    try (NDManager manager = trainer.getManager().newSubManager()) {
      ArrayDataset training = new ArrayDataset.Builder()
          .setData(manager.create(splits.training(), splits.trainingShape()))
          .optLabels(manager.create(splits.trainingTargets()))
          .setSampling(shuffledBatches(splits.trainingCount(), hp.batchSize()))
          .build();
      ArrayDataset validation = new ArrayDataset.Builder()
          .setData(manager.create(splits.validation(), splits.validationShape()))
          .setSampling(evaluationChunk, false)
          .build();
      EpochGuard guard = new EpochGuard(hp.patience(), hp.epochs());
      for (int epoch = 1; epoch <= hp.epochs(); epoch++) {
        double trainingLoss = trainEpoch(training, splits.trainingCount(), epoch);
        float[] outputs = outputs(validation, splits.validationCount());
        double validationLoss = validationLoss(outputs);
        EpochGuard.checkFinite(epoch, trainingLoss, validationLoss);
        evaluation = evaluate(outputs);
        epochsRun = epoch;
        listener.onEpoch(new EpochReport(epoch, hp.epochs(), trainingLoss, validationLoss, evaluation));
        if (listener.cancelled()) {
          throw new TrainingCancelledException(epoch);
        }
        if (guard.stopAfter(epoch, validationLoss)) {
          stoppedEarly = true;
          return;
        }
      }
    }
  }

  /** Runs one epoch of shuffled batches; returns the mean per-row training loss (without the penalty). */
  private double trainEpoch(ArrayDataset training, int rows, int epoch) throws TrainingCancelledException {
    double lossSum = 0;
    for (Batch batch : iterate(training)) {
      try (batch) {
        lossSum += step(batch) * batch.getSize();
      }
      if (listener.cancelled()) {
        throw new TrainingCancelledException(epoch - 1);
      }
    }
    return lossSum / rows;
  }

  private double step(Batch batch) {
    NDManager scope = batch.getManager();
    float loss;
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDList predictions = trainer.forward(batch.getData());
      NDArray batchLoss = trainer.getLoss().evaluate(batch.getLabels(), predictions);
      NDArray objective = WeightPenalty.applies(hp) ? batchLoss.add(WeightPenalty.of(weights, hp, scope)) : batchLoss;
      collector.backward(objective);
      loss = batchLoss.getFloat();
    }
    trainer.step();
    return loss;
  }

  /** The network's raw outputs for the validation split, row-major. */
  private float[] outputs(ArrayDataset set, int rows) {
    int width = outputWidth();
    float[] out = new float[rows * width];
    int offset = 0;
    for (Batch batch : iterate(set)) {
      try (batch) {
        float[] values = trainer.evaluate(batch.getData()).singletonOrThrow().toFloatArray();
        System.arraycopy(values, 0, out, offset, values.length);
        offset += values.length;
      }
    }
    if (offset != out.length) {
      throw new IllegalStateException("evaluated " + offset / width + " of " + rows + " rows");
    }
    return out;
  }

  /** Batches of a fresh permutation each epoch, drawn from the run's seeded generator. */
  private Sampler shuffledBatches(int rows, int batchSize) {
    Sampler.SubSampler shuffled = dataset -> {
      List<Long> order = new ArrayList<>(rows);
      for (long i = 0; i < rows; i++) {
        order.add(i);
      }
      Collections.shuffle(order, random);
      return order.iterator();
    };
    return new BatchSampler(shuffled, batchSize, false);
  }

  private Iterable<Batch> iterate(ArrayDataset set) {
    try {
      return trainer.iterateDataset(set);
    } catch (IOException | TranslateException e) {
      // in-memory arrays neither read files nor translate
      throw new IllegalStateException("cannot iterate an in-memory data set", e);
    }
  }

  /** A trained block's parameters in DJL's format, as they are stored with the model. */
  public static byte[] parameters(Block block) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }
}
