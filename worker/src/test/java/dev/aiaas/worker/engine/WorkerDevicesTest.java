package dev.aiaas.worker.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerDevicesTest {

  /** Verifies that auto falls back to a single CPU when the engine sees no GPU. */
  @Test
  void autoWithoutGpusIsOneCpu() {
    assertEquals(List.of(Device.cpu()), WorkerDevices.resolve("auto", 0));
  }

  /** Verifies that auto takes every GPU the engine sees, in index order. */
  @Test
  void autoWithGpusIsEveryGpu() {
    assertEquals(List.of(Device.gpu(0), Device.gpu(1)), WorkerDevices.resolve("auto", 2));
  }

  /** Verifies that cpu means one CPU worker even when GPUs exist. */
  @Test
  void cpuIsOneCpuEvenWithGpus() {
    assertEquals(List.of(Device.cpu()), WorkerDevices.resolve("cpu", 2));
  }

  /** Verifies that a GPU list tolerates whitespace and case, and keeps the given order. */
  @Test
  void gpuListToleratesWhitespaceAndCase() {
    assertEquals(List.of(Device.gpu(0), Device.gpu(1)), WorkerDevices.resolve("gpu0, gpu1", 2));
    assertEquals(List.of(Device.gpu(1), Device.gpu(0)), WorkerDevices.resolve(" GPU1 ,Gpu0 ", 2));
    assertEquals(List.of(Device.cpu()), WorkerDevices.resolve(" CPU ", 0));
  }

  /** Verifies that asking for a GPU the engine does not see names the setting and the GPU. */
  @Test
  void missingGpuIsRejected() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> WorkerDevices.resolve("gpu1", 0));
    assertEquals("AIAAS_WORKER_DEVICES: gpu1 requested but DJL sees 0 GPUs", error.getMessage());
  }

  /** Verifies that malformed specs fail with a message naming the setting and the bad value. */
  @ParameterizedTest
  @ValueSource(strings = {"tpu", "", "  ", "gpuX", "gpu", "gpu0,", "gpu0,gpu0", "cpu,gpu0", "gpu-1"})
  void malformedSpecIsRejected(String spec) {
    IllegalArgumentException resolveError =
        assertThrows(IllegalArgumentException.class, () -> WorkerDevices.resolve(spec, 2));
    IllegalArgumentException syntaxError =
        assertThrows(IllegalArgumentException.class, () -> WorkerDevices.validateSyntax(spec));
    for (IllegalArgumentException error : List.of(resolveError, syntaxError)) {
      assertTrue(
          error.getMessage().startsWith("AIAAS_WORKER_DEVICES: "), () -> error.getMessage());
      assertTrue(error.getMessage().contains("'" + spec + "'"), () -> error.getMessage());
    }
  }

  /** Verifies that a null spec fails like a missing value, not with a NullPointerException. */
  @Test
  void nullSpecIsRejected() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> WorkerDevices.validateSyntax(null));
    assertTrue(error.getMessage().startsWith("AIAAS_WORKER_DEVICES: "), error.getMessage());
  }

  /** Verifies that the syntax check accepts GPUs this machine lacks, since it never asks DJL. */
  @Test
  void syntaxCheckDoesNotNeedTheEngine() {
    assertDoesNotThrow(() -> WorkerDevices.validateSyntax("auto"));
    assertDoesNotThrow(() -> WorkerDevices.validateSyntax("gpu0,gpu7"));
  }
}
