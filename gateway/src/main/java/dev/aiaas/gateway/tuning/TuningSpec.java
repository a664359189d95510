package dev.aiaas.gateway.tuning;

import dev.aiaas.worker.training.FieldError;
import dev.aiaas.worker.training.Hyperparameters;
import dev.aiaas.worker.training.Parsed;
import dev.aiaas.worker.training.TrainingSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.TreeMap;

/**
 * A validated tuning request: the training fields every trial shares ({@code base}, a training
 * request without {@code dataset_id} and {@code model}), the objective, the search space (keys in
 * name order, so trials do not depend on the order a client or jsonb keeps them in) and the strategy.
 * Trial {@code i}'s values come from a generator seeded with the seed and {@code i} alone.
 */
record TuningSpec(JsonObject base, Objective objective, Map<String, Domain> searchSpace, String strategy, int maxTrials,
    int parallelTrials, long seed, int minEpochs) {

  static final String RANDOM = "random";
  static final String GRID = "grid";
  static final String ASHA = "asha";
  static final List<String> STRATEGIES = List.of(RANDOM, GRID, ASHA);
  static final int MAX_TRIALS = 100;
  static final int MAX_PARALLEL_TRIALS = 10;
  static final int MAX_SEARCHED = 20;
  /** ASHA keeps the best 1/ETA of the trials at each rung (epochs min_epochs * ETA^k). */
  static final int ETA = 3;
  static final String ARCHITECTURE = "architecture";

  private static final Set<String> BASE_FIELDS = Set.of("task", "label", "architecture", "hyperparameters", "validation_split",
      "split", "class_weight");
  private static final Set<String> FIELDS = Set.of("dataset_id", "model", "task", "label", "architecture", "hyperparameters",
      "validation_split", "split", "class_weight", "objective", "search_space", "strategy", "max_trials", "parallel_trials", "seed",
      "min_epochs");

  /** Checks every field of a request; errors name the field ({@code search_space.learning_rate}, ...). */
  static Parsed<TuningSpec> parse(JsonObject request) {
    List<FieldError> errors = new ArrayList<>();
    for (String key : new java.util.TreeSet<>(request.fieldNames())) {
      if (!FIELDS.contains(key)) {
        errors.add(new FieldError(key, "is not a known field; known fields are " + String.join(", ", new java.util.TreeSet<>(FIELDS))));
      }
    }
    String task = request.getValue("task") instanceof String s ? s : null;
    Objective objective = null;
    Object rawObjective = request.getValue("objective", Objective.defaultFor(task));
    if (!(rawObjective instanceof String name) || Objective.named(name).isEmpty()) {
      errors.add(new FieldError("objective", "must be one of " + Objective.names()));
    } else {
      objective = Objective.named(name).get();
      if (task != null && TrainingSpec.TASKS.contains(task) && !objective.task().equals(task)) {
        errors.add(new FieldError("objective", objective.metric() + " is a " + objective.task() + " metric; the task is " + task));
      }
    }
    String strategy = request.getValue("strategy", RANDOM) instanceof String s && STRATEGIES.contains(s) ? s : null;
    if (strategy == null) {
      errors.add(new FieldError("strategy", "must be one of " + String.join(", ", STRATEGIES)));
    }
    Integer maxTrials = integer(request, "max_trials", 1, MAX_TRIALS, 10, errors);
    Integer parallelTrials = integer(request, "parallel_trials", 1, MAX_PARALLEL_TRIALS, 1, errors);
    Integer minEpochs = integer(request, "min_epochs", 1, Hyperparameters.MAX_EPOCHS, 1, errors);
    Long seed = request.getValue("seed", 0L) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? n.longValue() : null;
    if (seed == null) {
      errors.add(new FieldError("seed", "must be an integer"));
    }
    JsonObject base = new JsonObject();
    BASE_FIELDS.stream().filter(request::containsKey).forEach(k -> base.put(k, request.getValue(k)));
    Map<String, Domain> space = searchSpace(request.getValue("search_space"), errors);
    List<String> architectures = architectures(base, space, errors);
    if (space != null && architectures != null) {
      // The fields all trials share, checked as a training request with each architecture searched.
      for (String architecture : architectures) {
        TrainingSpec.parse(base.copy().put("architecture", architecture).put("seed", seed == null ? 0 : seed)).errors().stream()
            .filter(e -> !errors.contains(e)).forEach(errors::add);
      }
      if (errors.isEmpty()) {
        checkValues(base, space, architectures, errors);
      }
    }
    if (!errors.isEmpty()) {
      return Parsed.failed(errors);
    }
    return Parsed.of(new TuningSpec(base, objective, space, strategy, maxTrials, parallelTrials, seed, minEpochs));
  }

  private static Integer integer(JsonObject request, String key, int min, int max, int defaultValue, List<FieldError> errors) {
    Object value = request.getValue(key, defaultValue);
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= min && n.doubleValue() <= max) {
      return n.intValue();
    }
    errors.add(new FieldError(key, "must be an integer from " + min + " to " + max));
    return null;
  }

  private static Map<String, Domain> searchSpace(Object raw, List<FieldError> errors) {
    if (!(raw instanceof JsonObject json) || json.isEmpty() || json.size() > MAX_SEARCHED) {
      errors.add(new FieldError("search_space", "must be an object of 1 to " + MAX_SEARCHED
          + " hyperparameters, each {\"log_uniform\": [a, b]}, {\"uniform\": [a, b]}, {\"int\": [a, b]} or {\"choice\": [...]}"));
      return null;
    }
    Map<String, Domain> space = new TreeMap<>();
    for (String name : json.fieldNames()) {
      Object parsed = Domain.parse(json.getValue(name));
      if (parsed instanceof Domain domain) {
        space.put(name, domain);
      } else {
        errors.add(new FieldError("search_space." + name, (String) parsed));
      }
    }
    return space;
  }

  /** The architectures trials may use: the searched choice, else the fixed one (default mlp). */
  private static List<String> architectures(JsonObject base, Map<String, Domain> space, List<FieldError> errors) {
    if (space == null || !space.containsKey(ARCHITECTURE)) {
      return List.of(base.getValue("architecture") instanceof String a ? a : TrainingSpec.MLP);
    }
    if (base.containsKey("architecture")) {
      errors.add(new FieldError("architecture", "is searched in search_space.architecture; give it in one place"));
      return null;
    }
    if (!(space.get(ARCHITECTURE) instanceof Domain.Choice choice)
        || !choice.values().stream().allMatch(v -> TrainingSpec.ARCHITECTURES.contains(v) && !TrainingSpec.CNN.equals(v))) {
      errors.add(new FieldError("search_space.architecture", "must be {\"choice\": [...]} of linear and mlp"));
      return null;
    }
    return choice.values().stream().map(String.class::cast).distinct().toList();
  }

  /**
   * Every searched value must be one the trainer accepts: each end of a range and each choice is
   * checked as a training request would be, for each architecture a trial may have (hidden_units
   * only for mlp, which alone takes them). Unknown hyperparameter names are refused the same way.
   */
  private static void checkValues(JsonObject base, Map<String, Domain> space, List<String> architectures, List<FieldError> errors) {
    String task = base.getString("task");
    JsonObject fixed = base.getJsonObject("hyperparameters", new JsonObject());
    for (Map.Entry<String, Domain> entry : space.entrySet()) {
      String name = entry.getKey();
      if (name.equals(ARCHITECTURE)) {
        continue;
      }
      String field = "search_space." + name;
      for (String architecture : architectures) {
        if (name.equals("hidden_units") && !architecture.equals(TrainingSpec.MLP)) {
          continue;
        }
        for (Object value : entry.getValue().extremes()) {
          Parsed<Hyperparameters> parsed = Hyperparameters.parse(fixed.copy().put(name, value), task, architecture);
          parsed.errors().stream()
              .filter(e -> e.field().equals("hyperparameters." + name) || e.field().startsWith("hyperparameters." + name + "["))
              .findFirst()
              .ifPresent(e -> {
                String message = e.message().startsWith("is not a known field") ? e.message().replace("known fields", "searchable hyperparameters")
                    : "the value " + (value instanceof String ? "'" + value + "'" : String.valueOf(value)) + " " + e.message()
                        + (architectures.size() > 1 ? " (architecture " + architecture + ")" : "");
                FieldError error = new FieldError(field, message);
                if (!errors.contains(error)) {
                  errors.add(error);
                }
              });
        }
      }
    }
  }

  /** How many trials the job runs: max_trials, or fewer when the grid has fewer points. */
  int trials() {
    if (!strategy.equals(GRID)) {
      return maxTrials;
    }
    long points = 1;
    for (Domain d : searchSpace.values()) {
      points = Math.min(points * d.grid().size(), MAX_TRIALS);
    }
    return (int) Math.min(points, maxTrials);
  }

  /** Trial {@code index}'s searched values (0-based), architecture included when searched. */
  JsonObject values(int index) {
    JsonObject values = new JsonObject();
    if (strategy.equals(GRID)) {
      // Mixed-radix digits of the index, the last name varying fastest.
      List<String> names = new ArrayList<>(searchSpace.keySet());
      long rest = index;
      for (int i = names.size() - 1; i >= 0; i--) {
        List<Object> grid = searchSpace.get(names.get(i)).grid();
        values.put(names.get(i), grid.get((int) (rest % grid.size())));
        rest /= grid.size();
      }
      return sorted(values);
    }
    // SplittableRandom scrambles its seed: neighbouring trials do not start alike (java.util.Random's first draws would).
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    searchSpace.forEach((name, domain) -> values.put(name, domain.sample(random)));
    return values;
  }

  private static JsonObject sorted(JsonObject values) {
    JsonObject out = new JsonObject();
    new TreeMap<>(values.getMap()).forEach(out::put);
    return out;
  }

  /** Trial {@code index}'s training spec, as a training job stores it. */
  JsonObject trialSpec(int index) {
    JsonObject values = values(index);
    JsonObject request = base.copy().put("seed", seed);
    JsonObject hyperparameters = base.getJsonObject("hyperparameters", new JsonObject()).copy();
    values.forEach(e -> {
      if (e.getKey().equals(ARCHITECTURE)) {
        request.put("architecture", e.getValue());
      } else {
        hyperparameters.put(e.getKey(), e.getValue());
      }
    });
    if (!TrainingSpec.MLP.equals(request.getString("architecture", TrainingSpec.MLP))) {
      hyperparameters.remove("hidden_units"); // searched for the mlp trials only
    }
    request.put("hyperparameters", hyperparameters);
    Parsed<TrainingSpec> spec = TrainingSpec.parse(request);
    if (!spec.isValid()) {
      throw new IllegalStateException("trial " + index + " has an invalid spec: " + spec.errors());
    }
    return spec.value().toJson();
  }

  /** The epochs at which ASHA compares trials: min_epochs * ETA^k below the trials' epochs. */
  boolean isRung(int epoch, int epochs) {
    for (long rung = minEpochs; rung < epochs; rung *= ETA) {
      if (rung == epoch) {
        return true;
      }
    }
    return false;
  }

  /** As stored and returned: the request's fields with the defaults applied. */
  JsonObject toJson() {
    JsonObject space = new JsonObject();
    searchSpace.forEach((name, domain) -> space.put(name, domain.toJson()));
    return base.copy().put("objective", objective.metric()).put("search_space", space).put("strategy", strategy)
        .put("max_trials", maxTrials).put("parallel_trials", parallelTrials).put("seed", seed).put("min_epochs", minEpochs);
  }

  /** Reads a stored spec back (it was valid when stored). */
  static TuningSpec fromJson(JsonObject stored) {
    return parse(stored).orElseThrow();
  }

  static JsonArray fieldErrors(List<FieldError> errors) {
    JsonArray fields = new JsonArray();
    errors.forEach(e -> fields.add(new JsonObject().put("field", e.field()).put("message", e.message())));
    return fields;
  }
}
