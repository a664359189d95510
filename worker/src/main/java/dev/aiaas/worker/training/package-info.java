/**
 * Training and serving of tabular models (linear and MLP, classification and regression) with DJL
 * on MXNet. No Vert.x event loop, HTTP or database here: callers run these BLOCKING methods on
 * worker threads and move only plain data (JSON, bytes) across the event bus.
 *
 * <ul>
 *   <li>{@link dev.aiaas.worker.training.TrainingSpec#parse} and {@link
 *       dev.aiaas.worker.training.Hyperparameters#parse} validate a training request, reporting
 *       every error by field; {@link dev.aiaas.worker.training.TrainingSpec#validateAgainst} checks
 *       it against the data set.
 *   <li>{@link dev.aiaas.worker.training.TabularTrainer#train} splits, preprocesses, trains and
 *       evaluates, reporting per epoch to a {@link dev.aiaas.worker.training.TrainingListener} that
 *       can cancel; it returns a {@link dev.aiaas.worker.training.TrainingResult} whose artifact is
 *       four plain values (model spec JSON, parameter bytes, preprocessing JSON, labels).
 *   <li>{@link dev.aiaas.worker.training.TabularModel#load} rebuilds a model from those four for
 *       serving raw rows.
 * </ul>
 */
package dev.aiaas.worker.training;
