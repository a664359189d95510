package dev.aiaas.worker.engine;

import ai.djl.engine.Engine;

/** Loads the DJL engine the workers run on. */
public final class DjlRuntime {

  /** The only engine the workers ship natives for (mxnet-native-mkl). */
  public static final String ENGINE_NAME = "MXNet";

  private DjlRuntime() {}

  /**
   * Loads the MXNet engine; BLOCKING (native extraction and loading), call only on a worker thread.
   *
   * @throws IllegalStateException if the engine or its natives cannot be loaded
   */
  public static EngineInfo initialize() {
    // Without offline mode DJL silently tries to download missing natives; production hosts have no
    // network, so a missing native must fail here, loudly, at startup.
    System.setProperty("ai.djl.offline", "true");
    // MXNet's default threaded engine is not safe for forward passes from several threads at once
    // (serving batchers, batch predictions and training share one process); the naive engine is.
    NativeEnvironment.setIfAbsent("MXNET_ENGINE_TYPE", "NaiveEngine");
    try {
      Engine engine = Engine.getEngine(ENGINE_NAME);
      return new EngineInfo(engine.getEngineName(), engine.getVersion(), engine.getGpuCount());
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException(
          "DJL " + ENGINE_NAME + " engine failed to load: " + e.getMessage(), e);
    }
  }
}
