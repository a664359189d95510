package dev.aiaas.worker.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.worker.data.DataException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reads in-memory zips of drawn PNGs, valid and hostile. */
class ImageArchiveTest {

  private static final Map<String, byte[]> VALID = TestImages.shapeEntries(3, 1, 20);
  private static final byte[] ONE_PNG = VALID.values().iterator().next();

  private static Map<String, byte[]> validPlus(String name, byte[] content) {
    Map<String, byte[]> entries = new LinkedHashMap<>(VALID);
    entries.put(name, content);
    return entries;
  }

  private static DataException refused(byte[] zip, ImageArchive.Limits limits) {
    return assertThrows(DataException.class, () -> ImageArchive.read(zip, limits));
  }

  private static void assertRefusesEntry(Map<String, byte[]> entries, String entry, String words) {
    DataException e = refused(TestImages.zip(entries), ImageArchive.Limits.defaults());
    assertEquals(Optional.of(entry), e.column(), e.getMessage());
    assertEquals(0, e.line());
    assertTrue(e.getMessage().contains(entry), e.getMessage());
    assertTrue(e.getMessage().contains(words), e.getMessage());
  }

  /**
   * Verifies that a valid two-class archive reads with sorted classes, the right counts and every
   * image decoded and visited in archive order, while directory entries, __MACOSX/ and dot files
   * are ignored.
   */
  @Test
  void readsAValidArchive() throws DataException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("square/", null);
    entries.put("circle/", null);
    entries.putAll(VALID);
    entries.put("square/extra.PNG", ONE_PNG);
    entries.put("__MACOSX/circle/._c0.png", new byte[] {1, 2, 3});
    entries.put(".DS_Store", new byte[] {4, 5});
    entries.put("circle/.DS_Store", new byte[] {6});
    List<String> visited = new ArrayList<>();
    ImageArchive archive =
        ImageArchive.scan(
            new ByteArrayInputStream(TestImages.zip(entries)),
            ImageArchive.Limits.defaults(),
            (label, entry, image) -> visited.add(label + " " + entry + " " + image.getWidth()));
    assertEquals(List.of("circle", "square"), archive.classes());
    assertEquals(Map.of("circle", 3, "square", 4), archive.counts());
    assertEquals(7, archive.imageCount());
    assertEquals(7, visited.size());
    assertEquals("circle circle/c0.png 20", visited.get(0));
    assertEquals("square square/extra.PNG 20", visited.get(6));
    assertEquals(ImageArchive.PREVIEW, archive.preview().size());
    assertEquals(
        new ImageArchive.ImageInfo("circle/c0.png", "circle", 20, 20), archive.preview().get(0));
  }

  /** Verifies that path traversal, absolute paths, backslashes and drive letters are refused. */
  @Test
  void refusesUnsafeNames() {
    assertRefusesEntry(validPlus("../x.png", ONE_PNG), "../x.png", "'..'");
    assertRefusesEntry(validPlus("circle/../../x.png", ONE_PNG), "circle/../../x.png", "'..'");
    assertRefusesEntry(validPlus("/etc/x.png", ONE_PNG), "/etc/x.png", "relative");
    assertRefusesEntry(validPlus("circle\\x.png", ONE_PNG), "circle\\x.png", "backslash");
    assertRefusesEntry(validPlus("C:/x.png", ONE_PNG), "C:/x.png", "drive letter");
  }

  /** Verifies that a file at the top level or nested two directories deep is refused. */
  @Test
  void refusesMisplacedFiles() {
    assertRefusesEntry(validPlus("top.png", ONE_PNG), "top.png", "inside a class directory");
    assertRefusesEntry(validPlus("circle/deeper/x.png", ONE_PNG), "circle/deeper/x.png", "nested");
  }

  /** Verifies that other extensions and undecodable images are refused. */
  @Test
  void refusesNonImages() {
    assertRefusesEntry(
        validPlus("circle/notes.txt", "hello".getBytes(StandardCharsets.UTF_8)),
        "circle/notes.txt",
        ".png, .jpg and .jpeg");
    assertRefusesEntry(
        validPlus("circle/broken.png", "not really a png".getBytes(StandardCharsets.UTF_8)),
        "circle/broken.png",
        "not a PNG or JPEG image");
    byte[] truncated = java.util.Arrays.copyOf(ONE_PNG, ONE_PNG.length / 2);
    assertRefusesEntry(
        validPlus("square/cut.png", truncated), "square/cut.png", "not a PNG or JPEG image");
  }

  /** Verifies that bytes that are not a zip, and a corrupted zip, are refused as unreadable. */
  @Test
  void refusesNonZips() {
    DataException garbage =
        refused("just text".getBytes(StandardCharsets.UTF_8), ImageArchive.Limits.defaults());
    assertTrue(garbage.getMessage().contains("not a readable zip archive"), garbage.getMessage());
    byte[] zip = TestImages.zip(VALID);
    byte[] cut = java.util.Arrays.copyOf(zip, zip.length / 2);
    DataException truncated = refused(cut, ImageArchive.Limits.defaults());
    assertTrue(
        truncated.getMessage().contains("not a readable zip archive"), truncated.getMessage());
    // a zip whose first entry's deflated data is corrupted fails inside the inflater
    byte[] bomb = TestImages.zip(Map.of("circle/a.png", new byte[100_000]));
    for (int i = 60; i < 90; i++) {
      bomb[i] = (byte) 0xff;
    }
    DataException corrupt = refused(bomb, ImageArchive.Limits.defaults());
    assertTrue(corrupt.getMessage().contains("not a readable zip archive"), corrupt.getMessage());
    assertEquals(Optional.of("circle/a.png"), corrupt.column());
  }

  /**
   * Verifies that an entry decompressing past maxEntryBytes is refused by counting the bytes
   * actually inflated (20 MB of zeros compress to about 20 KB), and that the total is bounded too.
   */
  @Test
  void refusesZipBombs() {
    byte[] zeros = new byte[20_000_000];
    byte[] bomb = TestImages.zip(validPlus("circle/bomb.png", zeros));
    assertTrue(bomb.length < 200_000, "the bomb is " + bomb.length + " bytes");
    DataException perEntry = refused(bomb, new ImageArchive.Limits(100, 1_000_000, 1L << 30));
    assertEquals(Optional.of("circle/bomb.png"), perEntry.column());
    assertTrue(perEntry.getMessage().contains("more than 1000000 bytes"), perEntry.getMessage());

    DataException overall = refused(bomb, new ImageArchive.Limits(100, 1L << 30, 5_000_000));
    assertEquals(Optional.of("circle/bomb.png"), overall.column());
    assertTrue(
        overall.getMessage().contains("archive decompresses to more than 5000000 bytes"),
        overall.getMessage());
  }

  /** Verifies that more entries than maxEntries are refused, naming the first one too many. */
  @Test
  void refusesTooManyEntries() {
    DataException e =
        refused(TestImages.zip(VALID), new ImageArchive.Limits(4, 1L << 20, 1L << 30));
    assertEquals(Optional.of("circle/c2.png"), e.column());
    assertTrue(e.getMessage().contains("more than 4 entries"), e.getMessage());
  }

  /** Verifies that a single class, an empty class directory and an empty zip are refused. */
  @Test
  void refusesTooFewClasses() {
    Map<String, byte[]> oneClass = new LinkedHashMap<>();
    oneClass.put("circle/a.png", ONE_PNG);
    oneClass.put("circle/b.png", ONE_PNG);
    DataException single = refused(TestImages.zip(oneClass), ImageArchive.Limits.defaults());
    assertTrue(single.getMessage().contains("at least two classes"), single.getMessage());

    Map<String, byte[]> empty = new LinkedHashMap<>(VALID);
    empty.put("triangle/", null);
    empty.put("triangle/.keep", new byte[0]);
    assertRefusesEntry(empty, "triangle/", "has no images");

    DataException none = refused(TestImages.zip(Map.of()), ImageArchive.Limits.defaults());
    assertTrue(none.getMessage().contains("empty"), none.getMessage());
  }

  /** Verifies that ImageModel.decode refuses bytes that are no image and accepts a PNG. */
  @Test
  void decodeRefusesGarbage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ImageModel.decode(new byte[] {1, 2, 3, 4}));
    assertEquals("not a PNG or JPEG image", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ImageModel.decode(new byte[0]));
    assertEquals(20, ImageModel.decode(ONE_PNG).getWidth());
  }
}
