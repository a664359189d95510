package dev.aiaas.gateway.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Image datasets of real size: tens of thousands of (tiny) images are accepted, up to the
 * configured archive limit, and refused past it with a 400 that names the limit.
 */
class LargeImageDatasetsIT {

  /** Above the old fixed limit of 20 000 entries, below what is configured here. */
  private static final int PER_CLASS = 10_001;

  private static final int MAX_ENTRIES = 21_000;

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform()
      .with("AIAAS_IMAGE_ARCHIVE_MAX_ENTRIES", Integer.toString(MAX_ENTRIES));

  private static Api owner;

  @BeforeAll
  static void tenant() {
    owner = app.api().as(TenantFixture.create(app, "pixels").ownerToken());
  }

  /** {@code perClass} 4x4 PNGs in dark/ and in light/. */
  private static byte[] zip(int perClass) {
    byte[] dark = png(40);
    byte[] light = png(220);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < perClass; i++) {
        zip.putNextEntry(new ZipEntry("dark/" + i + ".png"));
        zip.write(dark);
        zip.putNextEntry(new ZipEntry("light/" + i + ".png"));
        zip.write(light);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] png(int gray) {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(gray, gray, gray));
    g.fillRect(0, 0, 4, 4);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Api.Response upload(String name, byte[] zip) {
    return owner.postBytes("/v1/datasets?name=" + name + "&format=images", "application/zip", zip);
  }

  /** Verifies that a zip of more than 20 000 images is accepted, every image counted per class. */
  @Test
  void moreThanTwentyThousandImagesAreAccepted() {
    Api.Response dataset = upload("many", zip(PER_CLASS));

    assertEquals(201, dataset.status(), dataset.toString());
    assertEquals(2 * PER_CLASS, dataset.json().getInteger("rows"));
    assertEquals(PER_CLASS, dataset.json().getJsonArray("schema").getJsonObject(0).getJsonObject("counts").getInteger("dark"));
  }

  /** Verifies that one entry more than the configured limit is refused with a 400 naming the limit, and nothing is kept. */
  @Test
  void theConfiguredLimitRefusesMore() {
    int before = owner.get("/v1/datasets").data().size();

    Api.Response refused = upload("too-many", zip(MAX_ENTRIES / 2 + 1));

    assertEquals(400, refused.status(), refused.toString());
    assertEquals("invalid-dataset", refused.problem());
    assertTrue(refused.json().getString("detail").contains("more than " + MAX_ENTRIES + " entries"), refused.toString());
    assertEquals(before, owner.get("/v1/datasets").data().size(), "a refused upload keeps nothing");
  }
}
