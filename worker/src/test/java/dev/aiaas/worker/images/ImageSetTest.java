package dev.aiaas.worker.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks the compact training form of an image archive: what it keeps, and that it is what serving sees. */
class ImageSetTest {

  /**
   * Verifies that a training set keeps one byte per pixel of each resized image (no decoded image,
   * no float copy), numbers the classes in sorted order whatever the archive order, and expands
   * each image to exactly the floats serving computes for it.
   */
  @Test
  void keepsOneBytePerPixelAndExpandsAsServingEncodes() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Random random = new Random(4);
    for (int i = 0; i < 30; i++) {
      entries.put("square/s" + i + ".png", TestImages.png(TestImages.shape(false, random, 40)));
      entries.put("circle/c" + i + ".png", TestImages.png(TestImages.shape(true, random, 40)));
    }
    byte[] zip = TestImages.zip(entries);

    ImageSet set = ImageSet.read(zip, ImageArchive.Limits.defaults(), 28);

    assertEquals(60, set.count());
    assertEquals(60L * 28 * 28, set.pixelBytes(), "one byte per pixel of each 28x28 image");
    assertEquals(List.of("circle", "square"), set.classes());
    assertEquals(1, set.label(0), "the first entry is a square");
    assertEquals(0, set.label(1));
    List<BufferedImage> decoded = new ArrayList<>();
    ImageArchive.scan(new ByteArrayInputStream(zip), ImageArchive.Limits.defaults(),
        (label, entry, image) -> decoded.add(image));
    for (int i = 0; i < set.count(); i++) {
      float[] training = new float[28 * 28];
      set.copy(i, training, 0);
      assertArrayEquals(Images.pixels(decoded.get(i), 28), training, "image " + i);
    }
  }

  /**
   * Verifies that an archive of more than 20 000 tiny images (the old fixed entry limit) reads
   * under the default limits into a set whose memory is its pixel bytes.
   */
  @Test
  void readsMoreThanTwentyThousandImages() throws Exception {
    Random random = new Random(9);
    byte[][] pngs = {
      TestImages.png(TestImages.shape(true, random, 8)), TestImages.png(TestImages.shape(false, random, 8))
    };
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < 10_001; i++) {
      entries.put("circle/" + i + ".png", pngs[0]);
      entries.put("square/" + i + ".png", pngs[1]);
    }

    ImageSet set = ImageSet.read(TestImages.zip(entries), ImageArchive.Limits.defaults(), 8);

    assertEquals(20_002, set.count());
    assertEquals(20_002L * 8 * 8, set.pixelBytes());
    assertEquals(1, set.label(20_001));
  }
}
