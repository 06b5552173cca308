package io.vqcodec.tools.eval;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds, for one codec and one image, the knob whose file lands closest to a target bpp, assuming
 * the size grows with the knob in the codec's "rate" direction (true for all our codecs up to rare
 * one-step wobbles, which at worst cost a slightly worse pick).
 *
 * <p>Bisection: keep a point at or under the target ({@code a}) and one over it ({@code b}), halve
 * the knob interval between them until it cannot shrink (adjacent integers; for continuous knobs
 * 0.5% of the knob's span, or 0.5% in log for log-scale knobs), then return whichever of the two is
 * closer to the target. Every evaluation is remembered, so later targets on the same image start
 * from the tightest bracket already known and the repeat cost is mostly zero. The highest-rate end
 * of the knob (e.g. AVIF quantizer 0, a slow near-lossless encode) is only evaluated if the search
 * reaches it.
 *
 * <p>Unreachable: when even the lowest-rate setting exceeds the target by more than {@link #SLACK}
 * the target is reported unreachable; within that slack the lowest setting is the answer.
 */
final class RateSearch {
  /** Relative excess over the target that still counts as reaching it (with the lowest setting). */
  static final double SLACK = 0.10;

  /** Evaluates one knob value (through the cache). */
  interface Evaluator {
    Evaluation evaluate(double knob) throws IOException;
  }

  /** The outcome for one target: {@code reached} false means the lowest setting was too big. */
  record Outcome(boolean reached, Evaluation point) {}

  private final EvalCodec.Knob knob;
  private final Evaluator evaluator;
  private final TreeMap<Double, Evaluation> seen = new TreeMap<>();

  private final boolean direct;

  RateSearch(EvalCodec.Knob knob, Evaluator evaluator) {
    this(knob, false, evaluator);
  }

  /**
   * @param direct the knob is the target bpp (see {@link EvalCodec#targetsBpp()}): one evaluation
   *     per target
   */
  RateSearch(EvalCodec.Knob knob, boolean direct, Evaluator evaluator) {
    this.direct = direct;
    this.knob = knob;
    this.evaluator = evaluator;
  }

  Outcome search(double target) throws IOException {
    if (direct) {
      Evaluation e = eval(Math.max(knob.min(), Math.min(knob.max(), target)));
      return new Outcome(e.bpp() <= target * (1 + SLACK), e);
    }
    Evaluation low = eval(knob.lowestRate());
    if (low.bpp() > target) return new Outcome(low.bpp() <= target * (1 + SLACK), low);
    double uHigh = u(knob.highestRate());
    Evaluation b = null;
    double uB = uHigh;
    for (Evaluation e : seen.values()) {
      if (e.bpp() > target && u(e.knob()) < uB) {
        b = e;
        uB = u(e.knob());
      }
    }
    Evaluation a = low;
    double uA = u(low.knob());
    for (Evaluation e : seen.values()) {
      double ue = u(e.knob());
      if (e.bpp() <= target && ue > uA && ue < uB) {
        a = e;
        uA = ue;
      }
    }
    double tol = knob.integer() ? 1 : 0.005 * (knob.logScale() ? 1 : knob.max() - knob.min());
    for (int iter = 0; iter < 64 && uB - uA > tol; iter++) {
      double k = fromU(knob.integer() ? Math.floor((uA + uB) / 2) : (uA + uB) / 2);
      double uk = u(k);
      if (uk <= uA || uk >= uB) break;
      Evaluation e = eval(k);
      if (e.bpp() <= target) {
        a = e;
        uA = uk;
      } else {
        b = e;
        uB = uk;
      }
    }
    if (b == null) {
      b = eval(knob.highestRate());
      if (b.bpp() <= target) return new Outcome(true, b);
    }
    boolean pickA = Math.abs(a.bpp() - target) <= Math.abs(b.bpp() - target);
    return new Outcome(true, pickA ? a : b);
  }

  /** Every evaluation made or found so far, by knob. */
  Map<Double, Evaluation> seen() {
    return seen;
  }

  private Evaluation eval(double k) throws IOException {
    Evaluation e = seen.get(k);
    if (e == null) {
      e = evaluator.evaluate(k);
      seen.put(k, e);
    }
    return e;
  }

  /** The search coordinate: grows with the rate; log for log-scale knobs. */
  private double u(double k) {
    double v = knob.logScale() ? Math.log(k) : k;
    return knob.rateIncreasing() ? v : -v;
  }

  /** Inverse of {@link #u}, snapped to the knob's grid (integers, or 3 decimals). */
  private double fromU(double u) {
    double v = knob.rateIncreasing() ? u : -u;
    double k = knob.logScale() ? Math.exp(v) : v;
    k = knob.integer() ? Math.rint(k) : Math.rint(k * 1000) / 1000;
    return Math.max(knob.min(), Math.min(knob.max(), k));
  }
}
