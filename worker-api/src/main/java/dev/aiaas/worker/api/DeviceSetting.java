package dev.aiaas.worker.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The syntax of the {@code AIAAS_WORKER_DEVICES} setting, checked without the engine so that any
 * role (a gateway too, which never loads DJL) fails fast on a malformed value.
 */
public final class DeviceSetting {

  /** The setting, named in every error so operators know what to fix. */
  public static final String SETTING = "AIAAS_WORKER_DEVICES";

  private static final String AUTO = "auto";
  private static final String CPU = "cpu";
  // Bounded digit count keeps Integer.parseInt from overflowing on garbage input.
  private static final Pattern GPU = Pattern.compile("gpu(\\d{1,4})");

  private DeviceSetting() {}

  /**
   * Empty for {@code auto}, an empty list for {@code cpu}, else the GPU indexes in the order given.
   *
   * @throws IllegalArgumentException if the value is malformed
   */
  public static Optional<List<Integer>> parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw invalid(spec, "a value is required");
    }
    String normalized = spec.strip().toLowerCase(Locale.ROOT);
    if (normalized.equals(AUTO)) {
      return Optional.empty();
    }
    if (normalized.equals(CPU)) {
      return Optional.of(List.of());
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
    return Optional.of(new ArrayList<>(gpus));
  }

  private static IllegalArgumentException invalid(String spec, String reason) {
    return new IllegalArgumentException(SETTING + ": expected auto, cpu or gpu0,gpu1,... but got '" + spec + "' (" + reason + ")");
  }
}
