package io.vqcodec.tokens;

/**
 * The parameters of a token probability model that has them (Spec §8.1): the Gaussian-mixture
 * context prior (prob_model_id 2, {@link ContextPrior}) or the two-stage log-linear model
 * (prob_model_id 3, {@link TwoStagePrior}). {@link SliceCoder} codes with one of them, or with
 * adaptive order-0 models (prob_model_id 0) when it is given none.
 */
public sealed interface TokenModel permits ContextPrior, TwoStagePrior {
  /** Whether the parameters cover codebook size {@code k} (Spec §8.3.2.1, §8.3.3.1). */
  boolean hasLevel(int k);
}
