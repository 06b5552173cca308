package io.vqcodec.decoder;

import io.vqcodec.container.Limits;
import io.vqcodec.tokens.LossSimulation;
import java.util.Objects;

/**
 * How to decode: concealment of lost tokens, the largest picture to accept and an optional loss
 * simulation. Immutable.
 *
 * @param concealment what replaces lost tokens
 * @param loss tokens or slices to discard on purpose (testing concealment); {@link
 *     LossSimulation#NONE} normally
 * @param maxPixels pictures with more pixels are refused from the header, before any slice is
 *     decoded ({@link io.vqcodec.tokens.PictureTooLargeException}); default the format's limit,
 *     {@link Limits#MAX_PIXELS} (2^26). A service sets its own: decoding costs about linear time
 *     and memory in the pixel count, whatever the stream's size.
 */
public record DecodeOptions(Concealment concealment, LossSimulation loss, long maxPixels) {
  public DecodeOptions {
    Objects.requireNonNull(concealment, "concealment");
    Objects.requireNonNull(loss, "loss");
    if (maxPixels < 1)
      throw new IllegalArgumentException("maxPixels " + maxPixels + ": must be positive");
  }

  /** Concealment by prediction, no simulated loss, the format's pixel limit. */
  public static DecodeOptions defaults() {
    return new DecodeOptions(Concealment.PREDICT, LossSimulation.NONE, Limits.MAX_PIXELS);
  }

  public DecodeOptions withConcealment(Concealment c) {
    return new DecodeOptions(c, loss, maxPixels);
  }

  public DecodeOptions withLoss(LossSimulation l) {
    return new DecodeOptions(concealment, l, maxPixels);
  }

  public DecodeOptions withMaxPixels(long n) {
    return new DecodeOptions(concealment, loss, n);
  }
}
