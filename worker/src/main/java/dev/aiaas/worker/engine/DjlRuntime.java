package dev.aiaas.worker.engine;

import ai.djl.engine.Engine;

/** Loads the DJL engine the workers run on. */
public final class DjlRuntime {

  /** The only engine the workers ship natives for (mxnet-native-mkl). */
  public static final String ENGINE_NAME = "MXNet";

  /** How idle OpenMP threads wait; read by libgomp when MXNet loads. */
  static final String OMP_WAIT_POLICY = "OMP_WAIT_POLICY";

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
    // MXNet runs its operators in OpenMP (libgomp), whose worker threads by default spin for some
    // milliseconds after every parallel region. With forward passes arriving every few milliseconds
    // they never stop spinning: on a small machine that took most of the CPU the gateway, the
    // batcher and PostgreSQL needed (bench/README.md). Passive workers sleep between regions.
    NativeEnvironment.setIfAbsent(OMP_WAIT_POLICY, "PASSIVE");
    try {
      Engine engine = Engine.getEngine(ENGINE_NAME);
      return new EngineInfo(engine.getEngineName(), engine.getVersion(), engine.getGpuCount());
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException(
          "DJL " + ENGINE_NAME + " engine failed to load: " + e.getMessage(), e);
    }
  }
}
