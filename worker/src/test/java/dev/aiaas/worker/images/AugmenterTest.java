package dev.aiaas.worker.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Checks the training-time flips and shifts of one image. */
class AugmenterTest {

  private static final int SIZE = 28;

  /** A white image with one black pixel at (10, 12). */
  private static float[] dot() {
    float[] image = new float[SIZE * SIZE];
    Arrays.fill(image, 1f);
    image[12 * SIZE + 10] = 0f;
    return image;
  }

  /**
   * Verifies that every augmented image is the original flipped or not and shifted by at most 2
   * pixels each way (the dot moves, the white border stays white), that over many draws both
   * flips and every shift occur, and that the same generator seed gives the same images.
   */
  @Test
  void flipsAndShiftsDeterministically() {
    Augmenter a = new Augmenter(SIZE, new Random(5));
    Augmenter b = new Augmenter(SIZE, new Random(5));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      float[] image = dot();
      float[] twin = dot();
      a.apply(image, 0);
      b.apply(twin, 0);
      assertArrayEquals(image, twin);
      int dark = -1;
      for (int p = 0; p < image.length; p++) {
        if (image[p] == 0f) {
          assertEquals(-1, dark, "one dark pixel");
          dark = p;
        } else {
          assertEquals(1f, image[p]);
        }
      }
      int x = dark % SIZE;
      int y = dark / SIZE;
      boolean flipped = x >= 15;
      int dx = flipped ? x - 17 : x - 10;
      int dy = y - 12;
      assertTrue(Math.abs(dx) <= 2 && Math.abs(dy) <= 2, "moved to " + x + "," + y);
      seen.add(flipped + " " + dx + " " + dy);
    }
    assertEquals(2 * 5 * 5, seen.size(), "every flip and shift occurs: " + seen);
  }

  /** Verifies that only the image at the offset is changed, so rows of a batch stay apart. */
  @Test
  void changesOnlyItsRow() {
    float[] batch = new float[3 * SIZE * SIZE];
    Arrays.fill(batch, 0.5f);
    System.arraycopy(dot(), 0, batch, SIZE * SIZE, SIZE * SIZE);
    new Augmenter(SIZE, new Random(1)).apply(batch, SIZE * SIZE);
    for (int p = 0; p < SIZE * SIZE; p++) {
      assertEquals(0.5f, batch[p]);
      assertEquals(0.5f, batch[2 * SIZE * SIZE + p]);
    }
  }
}
