package dev.aiaas.worker.engine;

import ai.djl.Device;
import dev.aiaas.worker.api.DeviceSetting;
import java.util.List;
import java.util.stream.IntStream;

/** Turns the {@code AIAAS_WORKER_DEVICES} setting into the devices that get one worker each. */
public final class WorkerDevices {

  /** The setting this class parses, named in every error so operators know what to fix. */
  public static final String SETTING = DeviceSetting.SETTING;

  private WorkerDevices() {}

  /**
   * Resolves {@code auto} (every GPU the engine sees, else one CPU), {@code cpu}, or {@code
   * gpu0,gpu1,...} against the GPUs the engine sees.
   *
   * @throws IllegalArgumentException if the spec is malformed or names a GPU that does not exist
   */
  public static List<Device> resolve(String spec, int gpuCount) {
    List<Integer> gpus = parse(spec);
    if (gpus == null) {
      return gpuCount > 0
          ? IntStream.range(0, gpuCount).mapToObj(Device::gpu).toList()
          : List.of(Device.cpu());
    }
    if (gpus.isEmpty()) {
      return List.of(Device.cpu());
    }
    for (int gpu : gpus) {
      if (gpu >= gpuCount) {
        throw new IllegalArgumentException(
            SETTING + ": gpu" + gpu + " requested but DJL sees " + gpuCount + " GPUs");
      }
    }
    return gpus.stream().map(Device::gpu).toList();
  }

  /**
   * Checks only the syntax, without loading the engine, so configuration errors fail fast (see {@link DeviceSetting}).
   *
   * @throws IllegalArgumentException if the spec is malformed
   */
  public static void validateSyntax(String spec) {
    parse(spec);
  }

  /** Returns null for auto, an empty list for cpu, else the GPU indexes in the order given. */
  private static List<Integer> parse(String spec) {
    return DeviceSetting.parse(spec).orElse(null);
  }
}
