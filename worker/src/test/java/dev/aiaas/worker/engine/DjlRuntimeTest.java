package dev.aiaas.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** How the engine is set up before MXNet loads. */
class DjlRuntimeTest {

  /**
   * Verifies that MXNet loads with OpenMP workers that sleep between parallel regions instead of
   * spinning (which took most of a small machine's CPU between forward passes), unless the operator
   * chose a policy.
   */
  @Test
  void openMpWorkersWaitPassively() {
    assumeTrue(System.getenv(DjlRuntime.OMP_WAIT_POLICY) == null, "the operator's own policy wins");
    DjlRuntime.initialize();
    assertEquals("PASSIVE", NativeEnvironment.get(DjlRuntime.OMP_WAIT_POLICY).orElse(null));
    assertEquals("NaiveEngine", NativeEnvironment.get("MXNET_ENGINE_TYPE").orElse(null));
  }
}
