package dev.aiaas.worker.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** How every trainer holds rows out for validation: at random, or stratified by class. */
public final class HoldOut {

  private HoldOut() {}

  /**
   * Shuffles the row indices with {@code random} and cuts them: {training rows, validation rows}.
   * Without {@code strata} the first {@code validation} shuffled rows are held out. With {@code
   * strata} (a class number per row) the shuffled rows are grouped by class and every (rows /
   * validation)-th is held out, so each class is held out in proportion (within one row).
   *
   * @param validation how many rows to hold out, 0 to {@code rows}
   */
  public static int[][] split(int rows, int validation, int[] strata, Random random) {
    List<Integer> order = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    if (strata == null) {
      int[] training = order.subList(validation, rows).stream().mapToInt(Integer::intValue).toArray();
      int[] held = order.subList(0, validation).stream().mapToInt(Integer::intValue).toArray();
      return new int[][] {training, held};
    }
    order.sort(Comparator.comparingInt(row -> strata[row])); // stable: shuffled within a class
    List<Integer> training = new ArrayList<>(rows - validation);
    List<Integer> held = new ArrayList<>(validation);
    for (int i = 0; i < rows; i++) {
      boolean hold = (long) (i + 1) * validation / rows > (long) i * validation / rows;
      (hold ? held : training).add(order.get(i));
    }
    return new int[][] {
      training.stream().mapToInt(Integer::intValue).toArray(), held.stream().mapToInt(Integer::intValue).toArray()
    };
  }
}
