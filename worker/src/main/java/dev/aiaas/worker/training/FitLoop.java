package dev.aiaas.worker.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
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
 *
 * <p>With early stopping ({@code patience} > 0) the run keeps the best epoch: the parameters of the
 * epoch with the lowest validation loss are copied when it ends and put back into the block when
 * the run ends, so the block, {@link #evaluation()} and {@link #bestEpoch()} all describe that
 * epoch. Without it the last epoch is kept.
 */
public abstract class FitLoop {

  /**
   * Rows of network input, read a batch at a time: a split never has to sit in memory (Java or
   * native) as one float array, so a trainer may keep its data compact (bytes per pixel, say) and
   * expand only the batch in hand.
   */
  public interface Rows {

    /** How many rows there are. */
    int count();

    /** Floats per row. */
    int width();

    /** The network's input shape for a batch of {@code rows} rows. */
    Shape shape(int rows);

    /** Writes row {@code row}'s {@link #width()} floats at {@code into[offset...]}. */
    void copy(int row, float[] into, int offset);

    /** Rows of a row-major float array, batched as {@code shape} with its first dimension replaced. */
    static Rows of(float[] data, Shape shape) {
      int count = (int) shape.get(0);
      int width = (int) shape.slice(1).size();
      long[] dims = shape.getShape().clone(); // Shape hands out its own array
      return new Rows() {
        @Override
        public int count() {
          return count;
        }

        @Override
        public int width() {
          return width;
        }

        @Override
        public Shape shape(int rows) {
          long[] batch = dims.clone();
          batch[0] = rows;
          return new Shape(batch);
        }

        @Override
        public void copy(int row, float[] into, int offset) {
          System.arraycopy(data, row * width, into, offset, width);
        }
      };
    }
  }

  /** Both splits as the network takes them, and the training targets (one per training row). */
  public record Splits(Rows training, float[] trainingTargets, Rows validation) {

    /** Row-major float arrays with their shapes (the first dimension is the row count). */
    public Splits(float[] training, Shape trainingShape, float[] trainingTargets, float[] validation, Shape validationShape) {
      this(Rows.of(training, trainingShape), trainingTargets, Rows.of(validation, validationShape));
    }

    int trainingCount() {
      return training.count();
    }

    int validationCount() {
      return validation.count();
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
  private int bestEpoch;
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

  /** The evaluation of the kept epoch ({@link #bestEpoch()}). */
  public Evaluation evaluation() {
    return evaluation;
  }

  /** The epoch whose parameters the block holds after {@link #fit}: the best one, or the last. */
  public int bestEpoch() {
    return bestEpoch;
  }

  public int epochsRun() {
    return epochsRun;
  }

  public boolean stoppedEarly() {
    return stoppedEarly;
  }

  /** Trains up to {@code hp.epochs()} epochs, reporting each to the listener. */
  public final void fit(Splits splits) throws TrainingCancelledException, TrainingFailedException {
    EpochGuard guard = new EpochGuard(hp.patience(), hp.epochs());
    Evaluation bestEvaluation = null;
    byte[] bestParameters = null;
    for (int epoch = 1; epoch <= hp.epochs(); epoch++) {
      long started = System.nanoTime();
      double trainingLoss = trainEpoch(splits, epoch);
      double seconds = Math.max(System.nanoTime() - started, 1) / 1e9;
      float[] outputs = outputs(splits.validation());
      double validationLoss = validationLoss(outputs);
      EpochGuard.checkFinite(epoch, trainingLoss, validationLoss);
      evaluation = evaluate(outputs);
      epochsRun = epoch;
      listener.onEpoch(new EpochReport(epoch, hp.epochs(), trainingLoss, validationLoss, evaluation,
          splits.trainingCount() / seconds));
      if (listener.cancelled()) {
        throw new TrainingCancelledException(epoch);
      }
      boolean stop = guard.stopAfter(epoch, validationLoss);
      if (hp.patience() > 0 && guard.bestEpoch() == epoch) {
        bestEvaluation = evaluation;
        // the last epoch needs no copy: the block already holds it
        bestParameters = stop || epoch == hp.epochs() ? null : parameters(trainer.getModel().getBlock());
      }
      if (stop) {
        stoppedEarly = true;
        break;
      }
    }
    bestEpoch = epochsRun;
    if (bestParameters != null && guard.bestEpoch() != epochsRun) {
      restore(bestParameters);
      evaluation = bestEvaluation;
      bestEpoch = guard.bestEpoch();
    }
  }

  /** Puts saved parameters back into the block, in arrays owned by the model (they outlive the trainer). */
  private void restore(byte[] parameters) {
    Block block = trainer.getModel().getBlock();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
      block.loadParameters(trainer.getModel().getNDManager(), in);
    } catch (IOException | MalformedModelException e) {
      throw new IllegalStateException("the parameters just saved do not load back", e);
    }
  }

  /**
   * Runs one epoch of batches in a fresh permutation (drawn from the run's seeded generator, the
   * last batch possibly smaller); returns the mean per-row training loss (without the penalty).
   * Only one batch is expanded to floats, in Java and in native memory, at a time.
   */
  private double trainEpoch(Splits splits, int epoch) throws TrainingCancelledException {
    int rows = splits.trainingCount();
    List<Integer> order = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    Rows training = splits.training();
    double lossSum = 0;
    for (int from = 0; from < rows; from += hp.batchSize()) {
      int size = Math.min(hp.batchSize(), rows - from);
      float[] features = new float[Math.multiplyExact(size, training.width())];
      float[] targets = new float[size];
      for (int i = 0; i < size; i++) {
        int row = order.get(from + i);
        training.copy(row, features, i * training.width());
        targets[i] = splits.trainingTargets()[row];
      }
      try (NDManager scope = trainer.getManager().newSubManager()) {
        NDList data = new NDList(scope.create(features, training.shape(size)));
        NDList labels = new NDList(scope.create(targets));
        lossSum += step(scope, data, labels) * size;
      }
      if (listener.cancelled()) {
        throw new TrainingCancelledException(epoch - 1);
      }
    }
    return lossSum / rows;
  }

  private double step(NDManager scope, NDList data, NDList labels) {
    float loss;
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDList predictions = trainer.forward(data);
      NDArray batchLoss = trainer.getLoss().evaluate(labels, predictions);
      NDArray objective = WeightPenalty.applies(hp) ? batchLoss.add(WeightPenalty.of(weights, hp, scope)) : batchLoss;
      collector.backward(objective);
      loss = batchLoss.getFloat();
    }
    trainer.step();
    return loss;
  }

  /** The network's raw outputs for {@code validation}-like rows, row-major, {@code evaluationChunk} rows per forward pass. */
  protected final float[] outputs(Rows validation) {
    int rows = validation.count();
    int width = outputWidth();
    float[] out = new float[Math.multiplyExact(rows, width)];
    for (int from = 0; from < rows; from += evaluationChunk) {
      int size = Math.min(evaluationChunk, rows - from);
      float[] features = new float[Math.multiplyExact(size, validation.width())];
      for (int i = 0; i < size; i++) {
        validation.copy(from + i, features, i * validation.width());
      }
      try (NDManager scope = trainer.getManager().newSubManager()) {
        float[] values = trainer.evaluate(new NDList(scope.create(features, validation.shape(size))))
            .singletonOrThrow().toFloatArray();
        System.arraycopy(values, 0, out, from * width, values.length);
      }
    }
    return out;
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
