package dev.aiaas.worker.images;

import dev.aiaas.worker.data.DataException;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * What a labelled image zip holds, read entry by entry: entries are {@code class_name/file.png}
 * (or {@code .jpg}, {@code .jpeg}), one directory level, the directory naming the class. Directory
 * entries, {@code __MACOSX/} and any name with a part starting with '.' (e.g. {@code .DS_Store})
 * are ignored; anything else that does not fit is refused with a {@link DataException} whose column
 * is the entry's name (line 0).
 *
 * <p>The zip is streamed, never trusting the sizes its headers claim: the decompressed bytes are
 * counted as they are read, against {@link Limits}. Every image is decoded (so a broken one is
 * refused) and handed to an {@link ImageVisitor}, then dropped: memory holds one entry and one
 * decoded image at a time, whatever the archive's size, plus what the visitor keeps (nothing for
 * validation, a few bytes per pixel for training: {@link ImageSet}).
 */
public final class ImageArchive {

  /** How many images {@link #preview()} describes. */
  public static final int PREVIEW = 5;

  private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg");
  private static final int BUFFER = 64 * 1024;
  private static final int END_RECORD = 22;
  private static final int MAX_COMMENT = 0xffff;
  private static final int ZIP64_COUNT = 0xffff;

  private final List<String> classes;
  private final Map<String, Integer> counts;
  private final int images;
  private final List<ImageInfo> preview;

  private ImageArchive(Map<String, Integer> counts, int images, List<ImageInfo> preview) {
    this.classes = List.copyOf(counts.keySet());
    this.counts = Collections.unmodifiableMap(new TreeMap<>(counts));
    this.images = images;
    this.preview = List.copyOf(preview);
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

    /** Entries by default: room for 100 000 images and more, with their class directories. */
    public static final int DEFAULT_MAX_ENTRIES = 250_000;

    /** Decompressed bytes of one entry by default (10 MiB). */
    public static final long DEFAULT_MAX_ENTRY_BYTES = 10L << 20;

    /** Decompressed bytes of a whole archive by default (4 GiB): streamed, never held. */
    public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 4L << 30;

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

    /** 250 000 entries, 10 MiB per entry, 4 GiB in all, 50 megapixels per image. */
    public static Limits defaults() {
      return new Limits(
          DEFAULT_MAX_ENTRIES,
          DEFAULT_MAX_ENTRY_BYTES,
          DEFAULT_MAX_UNCOMPRESSED_BYTES,
          Images.DEFAULT_MAX_PIXELS);
    }
  }

  /** Receives each decoded image of an archive, in archive order; the image is dropped after. */
  @FunctionalInterface
  public interface ImageVisitor {
    /**
     * @param label its class (its directory's name)
     * @param entry its name in the archive
     */
    void visit(String label, String entry, BufferedImage image);
  }

  /**
   * One image, described.
   *
   * @param entry its name in the archive
   * @param label its class
   */
  public record ImageInfo(String entry, String label, int width, int height) {}

  /** Reads and checks a zip held in memory, keeping no image (see {@link #scan}). */
  public static ImageArchive read(byte[] zip, Limits limits) throws DataException {
    Objects.requireNonNull(zip, "zip");
    return scan(new ByteArrayInputStream(zip), limits, (label, entry, image) -> {});
  }

  /**
   * Streams a zip, decoding every image and handing it to {@code visitor}. BLOCKING
   * (decompression and decoding). Reads {@code zip} to its end but does not close it.
   *
   * @throws DataException (line 0, column = the entry's name where there is one) if the bytes are
   *     not a readable zip, an entry is unsafe or misplaced or not a decodable PNG/JPEG, a limit is
   *     passed, or there are fewer than two classes or a class without images
   */
  public static ImageArchive scan(InputStream zip, Limits limits, ImageVisitor visitor)
      throws DataException {
    Objects.requireNonNull(zip, "zip");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(visitor, "visitor");
    TailKeeper tail = new TailKeeper(zip, END_RECORD + MAX_COMMENT);
    BufferedInputStream buffered = new BufferedInputStream(tail, BUFFER);
    Set<String> classDirectories = new TreeSet<>();
    Map<String, Integer> counts = new TreeMap<>();
    List<ImageInfo> preview = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int entries = 0;
    int images = 0;
    long total = 0;
    String name = null;
    try {
      if (!looksLikeZip(buffered)) {
        throw DataException.at(0, null, "not a readable zip archive");
      }
      ZipInputStream in = new ZipInputStream(buffered);
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        name = entry.getName();
        if (++entries > limits.maxEntries()) {
          throw refuse(name, "the archive holds more than " + limits.maxEntries() + " entries"
              + " (the platform's image archive limit)");
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
        images++;
        if (preview.size() < PREVIEW) {
          preview.add(new ImageInfo(name, label, image.getWidth(), image.getHeight()));
        }
        visitor.visit(label, name, image);
      }
      tail.drain(); // the central directory, which the entry stream stops before
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
    int listed = centralDirectoryEntries(tail.tail());
    if (listed != ZIP64_COUNT && listed != (entries & 0xffff)) {
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
    return new ImageArchive(counts, images, preview);
  }

  /** Every class (directory), sorted; index i is the network's output i. */
  public List<String> classes() {
    return classes;
  }

  /** How many images each class holds, by class, sorted. */
  public Map<String, Integer> counts() {
    return counts;
  }

  /** How many images the archive holds. */
  public int imageCount() {
    return images;
  }

  /** The first {@value #PREVIEW} images, in archive order. */
  public List<ImageInfo> preview() {
    return preview;
  }

  /**
   * The entry count (modulo 65536, as the record holds it) of the end-of-central-directory record
   * in the last bytes of a zip, or {@link #ZIP64_COUNT} if it defers to a ZIP64 record.
   *
   * @throws DataException if there is no such record (not a zip, or truncated)
   */
  private static int centralDirectoryEntries(byte[] tail) throws DataException {
    int last = tail.length - END_RECORD;
    for (int i = last; i >= 0 && i >= last - MAX_COMMENT; i--) {
      if (tail[i] == 'P' && tail[i + 1] == 'K' && tail[i + 2] == 5 && tail[i + 3] == 6) {
        return (tail[i + 10] & 0xff) | (tail[i + 11] & 0xff) << 8;
      }
    }
    throw DataException.at(
        0, null, "not a readable zip archive (truncated or corrupt: no central directory)");
  }

  /** Local file header or (empty archive) end of central directory; the stream is left unread. */
  private static boolean looksLikeZip(BufferedInputStream in) throws IOException {
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    return magic.length == 4
        && magic[0] == 'P'
        && magic[1] == 'K'
        && ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
  }

  /**
   * Passes a stream through, remembering its last {@code capacity} bytes: where a zip keeps its
   * end-of-central-directory record, read without holding the whole file.
   */
  private static final class TailKeeper extends FilterInputStream {
    private final byte[] ring;
    private long seen;

    TailKeeper(InputStream in, int capacity) {
      super(in);
      this.ring = new byte[capacity];
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        ring[(int) (seen++ % ring.length)] = (byte) b;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      for (int i = 0; i < n; i++) {
        ring[(int) (seen++ % ring.length)] = b[off + i];
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // through read, so skipped bytes are remembered too
      byte[] buffer = new byte[(int) Math.min(n, BUFFER)];
      int read = read(buffer, 0, buffer.length);
      return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** Reads what is left. */
    void drain() throws IOException {
      byte[] buffer = new byte[BUFFER];
      while (read(buffer, 0, buffer.length) >= 0) {
        // remembered by read
      }
    }

    /** The last bytes read, oldest first. */
    byte[] tail() {
      int length = (int) Math.min(seen, ring.length);
      byte[] out = new byte[length];
      for (int i = 0; i < length; i++) {
        out[i] = ring[(int) ((seen - length + i) % ring.length)];
      }
      return out;
    }
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
