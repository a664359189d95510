package dev.aiaas.worker.images;

import dev.aiaas.worker.data.DataException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled image archive as the network trains on it: every image decoded once, while the zip
 * streams, and kept only as its resized grayscale pixels, one byte each ({@link Images#grayBytes}).
 * 100 000 images of 28x28 take 78 MB here, where decoded images or float pixels would take many
 * times that; a training batch expands its own rows to floats ({@link #copy}). Immutable.
 */
public final class ImageSet {

  private final List<String> classes;
  private final int size;
  private final byte[] pixels;
  private final int[] labels;

  private ImageSet(List<String> classes, int size, byte[] pixels, int[] labels) {
    this.classes = List.copyOf(classes);
    this.size = size;
    this.pixels = pixels;
    this.labels = labels;
  }

  /**
   * Streams a zip (see {@link ImageArchive#scan}), keeping each image as {@code size x size} gray
   * bytes. BLOCKING.
   *
   * @throws DataException as {@link ImageArchive#scan} does
   */
  public static ImageSet read(InputStream zip, ImageArchive.Limits limits, int size)
      throws DataException {
    Collector collector = new Collector(size);
    ImageArchive archive = ImageArchive.scan(zip, limits, collector);
    return collector.toSet(archive.classes());
  }

  /** Keeps each visited image's gray bytes in one growing array, and its class as first seen. */
  private static final class Collector implements ImageArchive.ImageVisitor {
    private final int size;
    private final int pixelsPerImage;
    private final Map<String, Integer> found = new HashMap<>();
    private final List<String> foundOrder = new ArrayList<>();
    private byte[] pixels;
    private int[] labels = new int[1024];
    private int count;

    Collector(int size) {
      this.size = size;
      this.pixelsPerImage = size * size;
      this.pixels = new byte[Math.multiplyExact(labels.length, pixelsPerImage)];
    }

    @Override
    public void visit(String label, String entry, BufferedImage image) {
      if (count == labels.length) {
        int grown = count + count / 2;
        labels = Arrays.copyOf(labels, grown);
        pixels = Arrays.copyOf(pixels, Math.multiplyExact(grown, pixelsPerImage));
      }
      System.arraycopy(Images.grayBytes(image, size), 0, pixels, count * pixelsPerImage, pixelsPerImage);
      labels[count++] = found.computeIfAbsent(label, l -> {
        foundOrder.add(l);
        return foundOrder.size() - 1;
      });
    }

    /** Classes are numbered in sorted order (the network's outputs), known only at the end. */
    ImageSet toSet(List<String> classes) {
      int[] sortedIndex = new int[foundOrder.size()];
      for (int i = 0; i < sortedIndex.length; i++) {
        sortedIndex[i] = Collections.binarySearch(classes, foundOrder.get(i));
      }
      int[] sorted = new int[count];
      for (int i = 0; i < count; i++) {
        sorted[i] = sortedIndex[labels[i]];
      }
      return new ImageSet(classes, size, Arrays.copyOf(pixels, Math.multiplyExact(count, pixelsPerImage)), sorted);
    }
  }

  /** As {@link #read(InputStream, ImageArchive.Limits, int)}, from a zip held in memory. */
  public static ImageSet read(byte[] zip, ImageArchive.Limits limits, int size)
      throws DataException {
    return read(new ByteArrayInputStream(zip), limits, size);
  }

  /** Every class, sorted; index i is the network's output i. */
  public List<String> classes() {
    return classes;
  }

  /** The side every image was resized to. */
  public int size() {
    return size;
  }

  /** How many images there are, in archive order. */
  public int count() {
    return labels.length;
  }

  /** The class index (into {@link #classes()}) of image {@code image}. */
  public int label(int image) {
    return labels[image];
  }

  /** The bytes every image's pixels take together: what bounds this set's memory. */
  public long pixelBytes() {
    return pixels.length;
  }

  /** Writes image {@code image} as the network takes it ({@code size * size} floats in [0, 1]). */
  public void copy(int image, float[] into, int offset) {
    int pixelsPerImage = size * size;
    int from = image * pixelsPerImage;
    for (int i = 0; i < pixelsPerImage; i++) {
      into[offset + i] = Images.toUnit(pixels[from + i]);
    }
  }
}
