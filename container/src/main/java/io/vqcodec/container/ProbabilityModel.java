package io.vqcodec.container;

/**
 * {@code prob_model_id} of Spec §8.1. Only the models a v0 decoder implements are listed; id 1
 * (static frequency table) is reserved (Spec §8.3.1).
 */
public enum ProbabilityModel {
  /** Adaptive order-0 models, reset at every slice start (Spec §8.2). */
  ADAPTIVE_ORDER0(0),
  /** Gaussian-mixture context prior, parameters in the model package (Spec §8.3.2). */
  GAUSSIAN_MIXTURE(2),
  /**
   * Two-stage log-linear model (group, then rank in group), parameters in the model package (Spec
   * §8.3.3).
   */
  TWO_STAGE(3);

  final int code;

  ProbabilityModel(int code) {
    this.code = code;
  }

  static ProbabilityModel of(int code) {
    for (ProbabilityModel m : values()) {
      if (m.code == code) return m;
    }
    throw new IllegalArgumentException("prob_model_id " + code);
  }
}
