package dev.aiaas.worker.serving;

import dev.aiaas.worker.api.LoadedModel;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model versions one device serves: written by its serving verticle, read by the verticle
 * that announces the device, so the heartbeat says what is loaded. Thread-safe: the two verticles
 * run on different threads.
 */
public final class LoadedModels {

  private final Map<UUID, LoadedModel> loaded = new ConcurrentHashMap<>();

  void add(StoredModel model) {
    loaded.put(model.id(), new LoadedModel(model.id().toString(), model.tenantId().toString(), model.name(), model.version()));
  }

  void remove(UUID id) {
    loaded.remove(id);
  }

  public List<LoadedModel> snapshot() {
    return loaded.values().stream().sorted(Comparator.comparing(LoadedModel::name).thenComparing(LoadedModel::version)).toList();
  }
}
