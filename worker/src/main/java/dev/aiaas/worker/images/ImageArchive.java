package dev.aiaas.worker.images;

import dev.aiaas.worker.data.DataException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A labelled image data set read from a zip whose entries are {@code class_name/file.png} (or
 * {@code .jpg}, {@code .jpeg}): one directory level, the directory naming the class. Directory
 * entries, {@code __MACOSX/} and any name with a part starting with '.' (e.g. {@code .DS_Store})
 * are ignored; anything else that does not fit is refused with a {@link DataException} whose column
 * is the entry's name (line 0).
 *
 * <p>The zip is streamed, never trusting the sizes its headers claim: the decompressed bytes are
 * counted as they are read, against {@link Limits}. Every image is decoded (and so held in memory)
 * by {@link #read}: the limits bound the archive, and {@link Limits#maxPixelsPerImage} each image.
 */
public final class ImageArchive {

  private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg");
  private static final int BUFFER = 64 * 1024;
  private static final int END_RECORD = 22;
  private static final int MAX_COMMENT = 0xffff;
  private static final int ZIP64_COUNT = 0xffff;

  private final List<String> classes;
  private final Map<String, Integer> counts;
  private final List<LabeledImage> images;

  private ImageArchive(
      List<String> classes, Map<String, Integer> counts, List<LabeledImage> images) {
    this.classes = List.copyOf(classes);
    this.counts = Collections.unmodifiableMap(new TreeMap<>(counts));
    this.images = List.copyOf(images);
  }

  /**
   * What an archive may hold.
   *
   * @param maxEntries entries of any kind (directories and ignored files count)
   * @param maxEntryBytes decompressed bytes of one entry
   * @param maxUncompressedBytes decompressed bytes of all entries together
   * @param maxPixelsPerImage width x height of one image, checked before its pixels are decoded
   */
  public record Limits(
      int maxEntries, long maxEntryBytes, long maxUncompressedBytes, long maxPixelsPerImage) {

    public Limits {
      if (maxEntries < 1
          || maxEntryBytes < 1
          || maxUncompressedBytes < 1
          || maxPixelsPerImage < 1) {
        throw new IllegalArgumentException("every limit must be positive");
      }
    }

    /** The given limits, with the default {@link #maxPixelsPerImage} (50 megapixels). */
    public Limits(int maxEntries, long maxEntryBytes, long maxUncompressedBytes) {
      this(maxEntries, maxEntryBytes, maxUncompressedBytes, Images.DEFAULT_MAX_PIXELS);
    }

    /** 20 000 entries, 10 MiB per entry, 512 MiB in all, 50 megapixels per image. */
    public static Limits defaults() {
      return new Limits(20_000, 10L << 20, 512L << 20, Images.DEFAULT_MAX_PIXELS);
    }
  }

  /**
   * One decoded image.
   *
   * @param label its class (its directory's name)
   * @param entry its name in the archive
   */
  public record LabeledImage(String label, BufferedImage image, String entry) {

    public LabeledImage {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(entry, "entry");
    }
  }

  /**
   * Reads and decodes every image of a zip. BLOCKING (decompression and decoding).
   *
   * @throws DataException (line 0, column = the entry's name where there is one) if the bytes are
   *     not a readable zip, an entry is unsafe or misplaced or not a decodable PNG/JPEG, a limit is
   *     passed, or there are fewer than two classes or a class without images
   */
  public static ImageArchive read(byte[] zip, Limits limits) throws DataException {
    Objects.requireNonNull(zip, "zip");
    Objects.requireNonNull(limits, "limits");
    if (!looksLikeZip(zip)) {
      throw DataException.at(0, null, "not a readable zip archive");
    }
    int listed = centralDirectoryEntries(zip);
    Set<String> classDirectories = new TreeSet<>();
    Map<String, Integer> counts = new TreeMap<>();
    List<LabeledImage> images = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int entries = 0;
    long total = 0;
    String name = null;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        name = entry.getName();
        if (++entries > limits.maxEntries()) {
          throw refuse(name, "the archive holds more than " + limits.maxEntries() + " entries");
        }
        checkSafe(name);
        if (!seen.add(name)) {
          throw refuse(name, "the archive holds this entry twice");
        }
        boolean ignored = ignored(name);
        String[] parts = name.split("/", -1);
        if (!ignored && !entry.isDirectory()) {
          checkPlacement(name, parts);
        }
        // ignored entries and directories are read through too: their bytes count
        ByteArrayOutputStream content =
            ignored || entry.isDirectory() ? null : new ByteArrayOutputStream();
        total += copy(in, content, name, limits, total);
        if (ignored) {
          continue;
        }
        if (entry.isDirectory()) {
          if (parts.length == 2) {
            classDirectories.add(parts[0]); // "cats/": a class, maybe empty
          }
          continue;
        }
        BufferedImage image;
        try {
          image = Images.decode(content.toByteArray(), limits.maxPixelsPerImage());
        } catch (IllegalArgumentException e) {
          throw refuse(name, e.getMessage());
        }
        String label = parts[0];
        counts.merge(label, 1, Integer::sum);
        images.add(new LabeledImage(label, image, name));
      }
    } catch (ZipException e) {
      throw DataException.at(
          0,
          name,
          "not a readable zip archive" + (name == null ? "" : " (at entry '" + name + "')"));
    } catch (IOException e) {
      throw DataException.at(
          0,
          name,
          "not a readable zip archive (truncated or corrupt"
              + (name == null ? "" : " at entry '" + name + "'")
              + ")");
    }
    // The stream stops quietly at anything that is not a local header (e.g. a truncation): the
    // central directory at the end says how many entries there should have been.
    if (listed != ZIP64_COUNT && listed != entries) {
      throw DataException.at(
          0,
          null,
          "not a readable zip archive (truncated or corrupt: its directory lists "
              + listed
              + " entries, "
              + entries
              + " were found)");
    }
    if (entries == 0) {
      throw DataException.at(0, null, "the archive is empty");
    }
    for (String directory : classDirectories) {
      if (!counts.containsKey(directory)) {
        throw refuse(directory + "/", "the class '" + directory + "' has no images");
      }
    }
    if (counts.size() < 2) {
      throw DataException.at(
          0,
          null,
          "the archive must hold at least two classes (one directory of images each), found "
              + counts.size()
              + (counts.isEmpty() ? "" : " (" + String.join(", ", counts.keySet()) + ")"));
    }
    return new ImageArchive(new ArrayList<>(counts.keySet()), counts, images);
  }

  /** Every class (directory), sorted; index i is the network's output i. */
  public List<String> classes() {
    return classes;
  }

  /** How many images each class holds, by class, sorted. */
  public Map<String, Integer> counts() {
    return counts;
  }

  /** Every image, in archive order. */
  public List<LabeledImage> images() {
    return images;
  }

  /**
   * The entry count of the end-of-central-directory record, or {@link #ZIP64_COUNT} if it defers to
   * a ZIP64 record.
   *
   * @throws DataException if there is no such record (not a zip, or truncated)
   */
  private static int centralDirectoryEntries(byte[] zip) throws DataException {
    int last = zip.length - END_RECORD;
    for (int i = last; i >= 0 && i >= last - MAX_COMMENT; i--) {
      if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 5 && zip[i + 3] == 6) {
        return (zip[i + 10] & 0xff) | (zip[i + 11] & 0xff) << 8;
      }
    }
    throw DataException.at(
        0, null, "not a readable zip archive (truncated or corrupt: no central directory)");
  }

  /** Local file header or (empty archive) end of central directory. */
  private static boolean looksLikeZip(byte[] zip) {
    return zip.length >= 4
        && zip[0] == 'P'
        && zip[1] == 'K'
        && ((zip[2] == 3 && zip[3] == 4) || (zip[2] == 5 && zip[3] == 6));
  }

  private static void checkSafe(String name) throws DataException {
    if (name.isEmpty()) {
      throw refuse(name, "an entry has an empty name");
    }
    if (name.indexOf('\\') >= 0) {
      throw refuse(name, "entry names must not contain backslashes");
    }
    if (name.startsWith("/")) {
      throw refuse(name, "entry names must be relative paths");
    }
    if (name.length() >= 2 && Character.isLetter(name.charAt(0)) && name.charAt(1) == ':') {
      throw refuse(name, "entry names must not start with a drive letter");
    }
    if (name.indexOf('\0') >= 0 || name.chars().anyMatch(Character::isISOControl)) {
      throw refuse(name, "entry names must not contain control characters");
    }
    for (String part : name.split("/", -1)) {
      if (part.equals("..") || part.equals(".")) {
        throw refuse(name, "entry names must not contain '..' or '.' path parts");
      }
    }
  }

  private static boolean ignored(String name) {
    if (name.startsWith("__MACOSX/")) {
      return true;
    }
    for (String part : name.split("/", -1)) {
      if (part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static void checkPlacement(String name, String[] parts) throws DataException {
    if (parts.length == 1) {
      throw refuse(
          name, "files must be inside a class directory (class_name/file.png), not at the top");
    }
    if (parts.length > 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw refuse(
          name, "files must be exactly one directory deep (class_name/file.png), not nested");
    }
    String file = parts[1];
    int dot = file.lastIndexOf('.');
    String extension = dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
    if (!EXTENSIONS.contains(extension)) {
      throw refuse(name, "only .png, .jpg and .jpeg files are accepted");
    }
  }

  /**
   * Decompresses the current entry into {@code out} (or nowhere, if null), counting the bytes as
   * they come; returns how many there were.
   */
  private static long copy(
      ZipInputStream in, ByteArrayOutputStream out, String name, Limits limits, long totalSoFar)
      throws IOException, DataException {
    byte[] buffer = new byte[BUFFER];
    long size = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      size += n;
      if (size > limits.maxEntryBytes()) {
        throw refuse(
            name, "the entry decompresses to more than " + limits.maxEntryBytes() + " bytes");
      }
      if (totalSoFar + size > limits.maxUncompressedBytes()) {
        throw refuse(
            name,
            "the archive decompresses to more than " + limits.maxUncompressedBytes() + " bytes");
      }
      if (out != null) {
        out.write(buffer, 0, n);
      }
    }
    return size;
  }

  private static DataException refuse(String entry, String message) {
    return DataException.at(0, entry, "entry '" + entry + "': " + message);
  }
}
