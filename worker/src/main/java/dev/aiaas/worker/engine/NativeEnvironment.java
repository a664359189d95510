package dev.aiaas.worker.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Optional;

/**
 * Sets process environment variables the MXNet library reads when it loads. Java cannot change
 * its own environment, but the native library reads the C one, so this goes through libc.
 */
final class NativeEnvironment {

  private NativeEnvironment() {}

  /** The libc functions needed. */
  private interface LibC extends Library {
    int setenv(String name, String value, int overwrite);

    String getenv(String name);
  }

  /**
   * Sets {@code name} unless the operator already set it (their value wins). Returns false where
   * it cannot be done (Windows has no setenv; the engine then runs with its own default).
   */
  static boolean setIfAbsent(String name, String value) {
    if (System.getenv(name) != null || Platform.isWindows()) {
      return false;
    }
    try {
      return Native.load("c", LibC.class).setenv(name, value, 0) == 0;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }

  /**
   * The variable as the native libraries see it: {@link System#getenv} shows the environment the
   * JVM started with, not what {@link #setIfAbsent} changed since.
   */
  static Optional<String> get(String name) {
    if (Platform.isWindows()) {
      return Optional.ofNullable(System.getenv(name));
    }
    return Optional.ofNullable(Native.load("c", LibC.class).getenv(name));
  }
}
