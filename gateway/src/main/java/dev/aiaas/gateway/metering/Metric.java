package dev.aiaas.gateway.metering;

import java.util.Locale;
import java.util.Optional;

/**
 * What the platform meters, with its unit: the one list producers, quotas, the usage API and
 * billing share. Quotas count per calendar month in UTC.
 */
public enum Metric {
  /** Calls authenticated by an API key that were answered with success. */
  API_CALLS("calls"),
  /** Instances answered by predict (online or batch). */
  PREDICTIONS("instances"),
  /** Instances explained (each also counts as one of {@link #PREDICTIONS}); priced on its own, never a quota. */
  EXPLANATIONS("instances"),
  /** Wall-clock seconds of training, per device. */
  TRAINING_SECONDS("seconds"),
  /** Bytes stored (datasets and model artifacts), sampled; billed as the period's average. */
  STORAGE_BYTES("bytes");

  private final String unit;

  Metric(String unit) {
    this.unit = unit;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String unit() {
    return unit;
  }

  public static Optional<Metric> fromWire(String name) {
    for (Metric m : values()) {
      if (m.wireName().equals(name)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
