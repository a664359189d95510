package dev.aiaas.worker.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.aiaas.worker.engine.DjlRuntime;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;

/** Rebuilds a served model from a block and its stored parameters (tabular and image models alike). */
public final class StoredBlocks {

  private StoredBlocks() {}

  /**
   * A model holding {@code block} with {@code parameters} loaded on {@code device}. Loading takes
   * the stored shapes as they are, so a spec that does not match would only show as wrong outputs
   * later: the shapes are compared with {@code expected} now.
   *
   * @throws IllegalArgumentException if the parameters do not fit the block
   */
  public static Model load(String name, Device device, Block block, byte[] parameters, List<Shape> expected) {
    Model model = Model.newInstance(name, device, DjlRuntime.ENGINE_NAME);
    try {
      block.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(parameters)));
      List<Shape> shapes = block.getParameters().values().stream().map(p -> p.getArray().getShape()).toList();
      if (!shapes.equals(expected)) {
        throw new IllegalArgumentException("the parameters have shapes " + shapes + ", the spec needs " + expected);
      }
      model.setBlock(block);
      return model;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw e instanceof IllegalArgumentException iae
          ? iae
          : new IllegalArgumentException("the model parameters do not fit the model spec: " + e.getMessage(), e);
    }
  }
}
