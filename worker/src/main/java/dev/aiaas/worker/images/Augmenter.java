package dev.aiaas.worker.images;

import java.util.Random;

/**
 * Training-time augmentation of one square grayscale image in place: a horizontal flip (half the
 * time) and a shift of up to {@value #MAX_SHIFT} pixels each way, the edge pixels repeated into the
 * uncovered border (so a white or a black background stays what it was). Deterministic given its
 * generator and the order of calls; not thread-safe (one per run).
 */
final class Augmenter {

  /** The largest shift, in pixels, along each axis: small enough to keep a 28-pixel shape whole. */
  static final int MAX_SHIFT = 2;

  private final int size;
  private final Random random;
  private final float[] scratch;

  Augmenter(int size, Random random) {
    this.size = size;
    this.random = random;
    this.scratch = new float[size * size];
  }

  /** Transforms the {@code size * size} pixels at {@code image[offset...]}. */
  void apply(float[] image, int offset) {
    boolean flip = random.nextBoolean();
    int dx = random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
    int dy = random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
    System.arraycopy(image, offset, scratch, 0, scratch.length);
    for (int y = 0; y < size; y++) {
      int sourceY = clamp(y - dy);
      for (int x = 0; x < size; x++) {
        int shiftedX = clamp(x - dx);
        int sourceX = flip ? size - 1 - shiftedX : shiftedX;
        image[offset + y * size + x] = scratch[sourceY * size + sourceX];
      }
    }
  }

  private int clamp(int i) {
    return Math.max(0, Math.min(size - 1, i));
  }
}
