package dev.aiaas.worker.engine;

/**
 * The loaded DJL engine, as reported once at worker start.
 *
 * @param name engine name, e.g. {@code MXNet}
 * @param version native engine version, e.g. {@code 1.9.1}
 * @param gpuCount GPUs the engine sees
 */
public record EngineInfo(String name, String version, int gpuCount) {}
