package io.vqcodec.encoder;

import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.TokenModel;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a stream coded with a probability model names and needs (Spec §4.4, §8.1): the model id
 * written in its header and the parameters its slices are coded with. The Gaussian-mixture prior
 * belongs to the package's own id, the two-stage model to its {@code twostage.id}, or for a video
 * to its {@code twostage.temporal.id} where it has one (Spec §8.3.3.4's temporal expert).
 */
final class StreamModel {
  private StreamModel() {}

  /** The model id a picture stream of {@code prob} names (Spec §4.4). */
  static long id(ModelPackage pkg, ProbabilityModel prob) {
    return id(pkg, prob, false);
  }

  /**
   * The model id a stream of {@code prob} names (Spec §4.4): a {@code video} under the two-stage
   * model takes the parameters with a temporal expert where the package has them.
   */
  static long id(ModelPackage pkg, ProbabilityModel prob, boolean video) {
    if (prob != ProbabilityModel.TWO_STAGE) return pkg.id();
    return video && pkg.temporalTwoStageId() > 0 ? pkg.temporalTwoStageId() : pkg.twoStageId();
  }

  /**
   * Refuses a probability model the package has no parameters for, before any work.
   *
   * @throws IllegalArgumentException if it has none
   */
  static void check(ModelPackage pkg, ProbabilityModel prob) {
    if (prob == ProbabilityModel.GAUSSIAN_MIXTURE && !pkg.hasPrior())
      throw new IllegalArgumentException(
          "model " + pkg.id() + " has no context prior: encode with another probability model");
    if (prob == ProbabilityModel.TWO_STAGE && pkg.twoStageId() == 0)
      throw new IllegalArgumentException(
          pkg.name() + " has no two-stage model: encode with another probability model");
  }

  /**
   * The parameters slices are coded with, null for adaptive order-0.
   *
   * @throws IllegalArgumentException if the package has none for {@code prob}
   * @throws UncheckedIOException if they do not cover {@code k} or cannot be read
   */
  static TokenModel parameters(ModelPackage pkg, ProbabilityModel prob, int k) {
    return parameters(pkg, prob, k, false);
  }

  /** As {@link #parameters(ModelPackage, ProbabilityModel, int)}, for a {@code video} or not. */
  static TokenModel parameters(ModelPackage pkg, ProbabilityModel prob, int k, boolean video) {
    try {
      check(pkg, prob);
      return pkg.tokenModel(prob, id(pkg, prob, video), k);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
