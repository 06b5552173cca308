package io.vqcodec.decoder;

import io.vqcodec.tokens.LossSimulation;
import java.util.Objects;

/**
 * How to decode: concealment of lost tokens and an optional loss simulation. Immutable.
 *
 * @param concealment what replaces lost tokens
 * @param loss tokens or slices to discard on purpose (testing concealment); {@link
 *     LossSimulation#NONE} normally
 */
public record DecodeOptions(Concealment concealment, LossSimulation loss) {
  public DecodeOptions {
    Objects.requireNonNull(concealment, "concealment");
    Objects.requireNonNull(loss, "loss");
  }

  /** Concealment by prediction, no simulated loss. */
  public static DecodeOptions defaults() {
    return new DecodeOptions(Concealment.PREDICT, LossSimulation.NONE);
  }

  public DecodeOptions withConcealment(Concealment c) {
    return new DecodeOptions(c, loss);
  }

  public DecodeOptions withLoss(LossSimulation l) {
    return new DecodeOptions(concealment, l);
  }
}
