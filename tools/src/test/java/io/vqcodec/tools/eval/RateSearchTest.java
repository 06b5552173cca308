package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class RateSearchTest {
  private int calls;

  private RateSearch search(EvalCodec.Knob knob, DoubleUnaryOperator bppOfKnob) {
    return new RateSearch(
        knob,
        k -> {
          calls++;
          double bpp = bppOfKnob.applyAsDouble(k);
          return new Evaluation(k, Math.round(bpp * 1000), bpp, 30, 0.9, 1, 1);
        });
  }

  /** The grid value with |bpp - target| smallest, by brute force. */
  private static double bestOnGrid(EvalCodec.Knob knob, DoubleUnaryOperator f, double target) {
    double best = Double.NaN, err = Double.POSITIVE_INFINITY;
    for (double k = knob.min(); k <= knob.max(); k++) {
      double e = Math.abs(f.applyAsDouble(k) - target);
      if (e < err) {
        err = e;
        best = k;
      }
    }
    return best;
  }

  @Test
  void integerKnobRateIncreasingFindsTheClosestSetting() throws Exception {
    EvalCodec.Knob knob = new EvalCodec.Knob(1, 100, true, true, false);
    DoubleUnaryOperator f = q -> 0.08 + 0.004 * q + 0.00002 * q * q;
    RateSearch s = search(knob, f);
    for (double t : new double[] {0.09, 0.1, 0.15, 0.25, 0.5}) {
      RateSearch.Outcome o = s.search(t);
      assertThat(o.reached()).isTrue();
      assertThat(o.point().knob()).as("target %s", t).isEqualTo(bestOnGrid(knob, f, t));
    }
    assertThat(calls).isLessThan(5 * 9);
  }

  @Test
  void integerKnobRateDecreasingLikeAQuantizer() throws Exception {
    EvalCodec.Knob knob = new EvalCodec.Knob(0, 63, true, false, false);
    DoubleUnaryOperator f = q -> 4.0 * Math.pow(0.92, q);
    RateSearch s = search(knob, f);
    for (double t : new double[] {0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25}) {
      RateSearch.Outcome o = s.search(t);
      assertThat(o.reached()).isTrue();
      assertThat(o.point().knob()).as("target %s", t).isEqualTo(bestOnGrid(knob, f, t));
    }
    // The highest-rate end (quantizer 0) is never encoded for these targets.
    assertThat(s.seen()).doesNotContainKey(0.0);
  }

  @Test
  void continuousLogKnobLandsWithinHalfAPercent() throws Exception {
    EvalCodec.Knob knob = new EvalCodec.Knob(0.1, 25, false, false, true);
    DoubleUnaryOperator f = d -> 1.5 / Math.pow(d, 0.9);
    RateSearch s = search(knob, f);
    for (double t : new double[] {0.1, 0.15, 0.25}) {
      RateSearch.Outcome o = s.search(t);
      assertThat(o.reached()).isTrue();
      assertThat(Math.abs(o.point().bpp() - t) / t).as("target %s", t).isLessThan(0.005);
      assertThat(o.point().knob() * 1000).isEqualTo(Math.rint(o.point().knob() * 1000));
    }
  }

  @Test
  void unreachableBelowTheLowestSetting() throws Exception {
    EvalCodec.Knob knob = new EvalCodec.Knob(1, 100, true, true, false);
    RateSearch s = search(knob, q -> 0.1 + 0.01 * q);
    RateSearch.Outcome far = s.search(0.05);
    assertThat(far.reached()).isFalse();
    assertThat(far.point().knob()).isEqualTo(1);
    // 0.11 is within 10% of 0.105: reached with the lowest setting.
    RateSearch.Outcome near = s.search(0.105);
    assertThat(near.reached()).isTrue();
    assertThat(near.point().knob()).isEqualTo(1);
  }

  @Test
  void aboveTheHighestSettingReturnsIt() throws Exception {
    EvalCodec.Knob knob = new EvalCodec.Knob(0, 10, true, true, false);
    RateSearch.Outcome o = search(knob, q -> 0.01 * (q + 1)).search(5);
    assertThat(o.reached()).isTrue();
    assertThat(o.point().knob()).isEqualTo(10);
  }
}
