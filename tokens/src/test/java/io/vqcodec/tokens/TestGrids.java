package io.vqcodec.tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/**
 * Deterministic synthetic token grids with spatial structure (smooth fields, repeats and noise).
 */
final class TestGrids {
  private TestGrids() {}

  /**
   * The released parameters of a probability model by name (Spec §8.1): {@code context-prior},
   * {@code two-stage}, or null (order-0) for any other name.
   */
  static TokenModel model(String name) {
    try {
      ModelPackage p = ModelRegistry.builtIn().byName("tok-v1").orElseThrow();
      return switch (name) {
        case "context-prior" -> p.prior();
        case "two-stage" -> p.twoStagePrior();
        default -> null;
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param fineRatio probability that a cell is fine (1 = all fine, 0 = all coarse)
   */
  static TokenGrid make(int w, int h, int k, double fineRatio, long seed) {
    Random r = new Random(seed);
    TokenGrid g = new TokenGrid(w, h, k);
    double fx0 = r.nextDouble() * 0.3, fy0 = r.nextDouble() * 0.3;
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        g.setFine(cx, cy, r.nextDouble() < fineRatio);
        g.setCoarseToken(cx, cy, field(2 * cx, 2 * cy, k, fx0, fy0, r));
      }
    }
    for (int fy = 0; fy < g.fineHigh(); fy++) {
      for (int fx = 0; fx < g.fineWide(); fx++)
        g.setFineToken(fx, fy, field(fx, fy, k, fx0, fy0, r));
    }
    return g;
  }

  private static int field(int x, int y, int k, double fx, double fy, Random r) {
    if (r.nextInt(8) == 0) return r.nextInt(k);
    double v = 0.5 + 0.25 * Math.sin(x * fx) + 0.25 * Math.cos(y * fy);
    return Math.min(k - 1, Math.max(0, (int) (v * k)));
  }
}
