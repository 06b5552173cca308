package io.vqcodec.encoder;

import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.TokenModel;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a stream coded with a probability model names and needs (Spec §4.4, §8.1): the model id
 * written in its header and the parameters its slices are coded with. The Gaussian-mixture prior
 * belongs to the package's own id, the two-stage model to its {@code twostage.id}.
 */
final class StreamModel {
  private StreamModel() {}

  /** The model id a stream of {@code prob} names (Spec §4.4). */
  static long id(ModelPackage pkg, ProbabilityModel prob) {
    return prob == ProbabilityModel.TWO_STAGE ? pkg.twoStageId() : pkg.id();
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
    try {
      check(pkg, prob);
      return pkg.tokenModel(prob, id(pkg, prob), k);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
