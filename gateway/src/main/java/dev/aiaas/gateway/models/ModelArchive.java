package dev.aiaas.gateway.models;

import dev.aiaas.worker.images.ImagePreprocessing;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An export archive written in steps: each step compresses into memory and hands back the bytes
 * produced so far, so a caller can send them and read the next parameter chunk before writing on.
 * BLOCKING (deflate): call each step on a worker thread, one at a time.
 */
final class ModelArchive {

  /** The parameter entry's name, in DJL's {@code Block.saveParameters} encoding. */
  static final String PARAMETERS = "model.params";

  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final ZipOutputStream zip = new ZipOutputStream(pending, StandardCharsets.UTF_8);
  private long parameterBytes;

  /** Writes the descriptive entries and opens the parameter entry; returns the bytes to send. */
  Buffer begin(ModelStore.StoredVersion version) throws IOException {
    entry("README.md", ExportReadme.of(version).getBytes(StandardCharsets.UTF_8));
    entry("model_spec.json", version.modelSpec().encodePrettily().getBytes(StandardCharsets.UTF_8));
    // an image version stores only the short form of its preprocessing: the archive spells it out
    JsonObject preprocessing = ExportReadme.image(version)
        ? ImagePreprocessing.describe(ExportReadme.imageSize(version))
        : version.preprocessing();
    entry("preprocessing.json", preprocessing.encodePrettily().getBytes(StandardCharsets.UTF_8));
    entry("labels.json", version.labels().encodePrettily().getBytes(StandardCharsets.UTF_8));
    entry("metadata.json", new JsonObject().put("model", version.name()).put("version", version.version())
        .put("task", version.task()).put("architecture", version.architecture()).put("created_at", version.createdAt())
        .put("metrics", version.metrics()).put("hyperparameters", version.hyperparameters())
        .encodePrettily().getBytes(StandardCharsets.UTF_8));
    zip.putNextEntry(new ZipEntry(PARAMETERS));
    return drain();
  }

  /** Adds a chunk of the parameters; returns the bytes to send (possibly none yet). */
  Buffer parameters(Buffer chunk) throws IOException {
    zip.write(chunk.getBytes());
    parameterBytes += chunk.length();
    return drain();
  }

  /** Closes the archive; returns its last bytes. */
  Buffer finish() throws IOException {
    zip.closeEntry();
    zip.finish();
    return drain();
  }

  /** How many parameter bytes were added, to compare with what the version says it stores. */
  long parameterBytes() {
    return parameterBytes;
  }

  private void entry(String name, byte[] data) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(data);
    zip.closeEntry();
  }

  private Buffer drain() {
    Buffer out = Buffer.buffer(pending.toByteArray());
    pending.reset();
    return out;
  }
}
