package dev.aiaas.worker.engine;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/** Turns the {@code AIAAS_WORKER_DEVICES} setting into the devices that get one worker each. */
public final class WorkerDevices {

  /** The setting this class parses, named in every error so operators know what to fix. */
  public static final String SETTING = "AIAAS_WORKER_DEVICES";

  private static final String AUTO = "auto";
  private static final String CPU = "cpu";
  // Bounded digit count keeps Integer.parseInt from overflowing on garbage input.
  private static final Pattern GPU = Pattern.compile("gpu(\\d{1,4})");

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
   * Checks only the syntax, without loading the engine, so configuration errors fail fast.
   *
   * @throws IllegalArgumentException if the spec is malformed
   */
  public static void validateSyntax(String spec) {
    parse(spec);
  }

  /** Returns null for auto, an empty list for cpu, else the GPU indexes in the order given. */
  private static List<Integer> parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw invalid(spec, "a value is required");
    }
    String normalized = spec.strip().toLowerCase(Locale.ROOT);
    if (normalized.equals(AUTO)) {
      return null;
    }
    if (normalized.equals(CPU)) {
      return List.of();
    }
    Set<Integer> gpus = new LinkedHashSet<>();
    for (String token : normalized.split(",", -1)) {
      Matcher matcher = GPU.matcher(token.strip());
      if (!matcher.matches()) {
        throw invalid(spec, "'" + token.strip() + "' is not gpuN");
      }
      if (!gpus.add(Integer.parseInt(matcher.group(1)))) {
        throw invalid(spec, "'" + token.strip() + "' is listed twice");
      }
    }
    return new ArrayList<>(gpus);
  }

  private static IllegalArgumentException invalid(String spec, String reason) {
    return new IllegalArgumentException(
        SETTING
            + ": expected auto, cpu or gpu0,gpu1,... but got '"
            + spec
            + "' ("
            + reason
            + ")");
  }
}
