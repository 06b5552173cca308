package io.vqcodec.tokens;

import java.util.Objects;

/**
 * Discards part of a stream on purpose, to measure concealment (the decoder then treats what was
 * discarded exactly like data lost in transit). Reproducible: the same seed discards the same
 * tokens or slices on every JVM ({@link java.util.SplittableRandom} is fully specified).
 *
 * @param unit what is discarded
 * @param fraction share of the unit discarded, 0..1 (rounded to a whole number of units)
 * @param seed random seed
 */
public record LossSimulation(Unit unit, double fraction, long seed) {
  /** Nothing discarded. */
  public static final LossSimulation NONE = new LossSimulation(Unit.TOKEN, 0, 0);

  /** What a loss simulation discards. */
  public enum Unit {
    /** Tokens chosen independently at random. */
    TOKEN,
    /** Runs of {@value LossSimulation#BURST} consecutive tokens (raster order) at random places. */
    BURST,
    /** Whole slices (Spec §5), as a lost packet would. */
    SLICE
  }

  /** Tokens per burst. */
  public static final int BURST = 16;

  public LossSimulation {
    Objects.requireNonNull(unit, "unit");
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("loss fraction " + fraction + " must be in [0, 1]");
    }
  }

  public boolean active() {
    return fraction > 0;
  }
}
