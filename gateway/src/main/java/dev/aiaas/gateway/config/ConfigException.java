package dev.aiaas.gateway.config;

/** Invalid configuration: the message names the setting and what is wrong with it. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String setting, String problem) {
    super(setting + ": " + problem);
  }
}
