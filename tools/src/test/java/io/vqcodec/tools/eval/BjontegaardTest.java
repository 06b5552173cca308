package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vqcodec.tools.eval.Bjontegaard.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BjontegaardTest {
  private static final double[] Q = {30, 32, 34, 36, 38};

  /**
   * log10(rate) = 0.1 * q - 4 + shift(q): a straight line in log-rate that both methods model
   * exactly.
   */
  private static double[] rates(double[] q, java.util.function.DoubleUnaryOperator shift) {
    double[] r = new double[q.length];
    for (int i = 0; i < q.length; i++)
      r[i] = Math.pow(10, 0.1 * q[i] - 4 + shift.applyAsDouble(q[i]));
    return r;
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void constantRateRatio(Method m) {
    double[] anchor = rates(Q, q -> 0);
    double[] test = new double[anchor.length];
    for (int i = 0; i < anchor.length; i++) test[i] = anchor[i] * 0.9;
    assertThat(Bjontegaard.bdRate(anchor, Q, test, Q, m)).isCloseTo(-10.0, within(1e-9));
    assertThat(Bjontegaard.bdRate(test, Q, anchor, Q, m))
        .isCloseTo(100.0 / 0.9 - 100, within(1e-9));
    assertThat(Bjontegaard.bdRate(anchor, Q, anchor, Q, m)).isCloseTo(0.0, within(1e-12));
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void linearlyGrowingGapAveragesOverTheOverlap(Method m) {
    // The test curve's log-rate exceeds the anchor's by 0.01 * (q - 30): on [30, 38] the mean gap
    // is
    // 0.04, so BD-rate = 10^0.04 - 1 = +9.6478...%, by hand.
    double[] anchor = rates(Q, q -> 0), test = rates(Q, q -> 0.01 * (q - 30));
    assertThat(Bjontegaard.bdRate(anchor, Q, test, Q, m))
        .isCloseTo((Math.pow(10, 0.04) - 1) * 100, within(1e-9));
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void onlyTheOverlappingQualityRangeCounts(Method m) {
    // Test curve measured on [34, 42]: the overlap with [30, 38] is [34, 38], mean gap 0.01 * 6 =
    // 0.06.
    double[] tq = {34, 36, 38, 40, 42};
    double[] anchor = rates(Q, q -> 0), test = rates(tq, q -> 0.01 * (q - 30));
    assertThat(Bjontegaard.bdRate(anchor, Q, test, tq, m))
        .isCloseTo((Math.pow(10, 0.06) - 1) * 100, within(1e-9));
  }

  @Test
  void pointOrderDoesNotMatter() {
    double[] anchor = rates(Q, q -> 0.002 * (q - 34) * (q - 34));
    double[] test = rates(Q, q -> -0.05 + 0.001 * q);
    double expected = Bjontegaard.bdRate(anchor, Q, test, Q, Method.PCHIP);
    double[] rq = {38, 30, 36, 32, 34}, ra = new double[5], rt = new double[5];
    for (int i = 0; i < 5; i++) {
      int k = (int) ((rq[i] - 30) / 2);
      ra[i] = anchor[k];
      rt[i] = test[k];
    }
    assertThat(Bjontegaard.bdRate(ra, rq, rt, rq, Method.PCHIP)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void pchipIsExactOnCubicHermiteSegmentsAndCubicFitOnCubics() {
    // A cubic polynomial: the least-squares cubic reproduces it, so its integral is exact.
    double[] x = {0, 1, 2, 3, 4, 5}, y = new double[6];
    for (int i = 0; i < 6; i++) y[i] = 1 + x[i] - 0.5 * x[i] * x[i] + 0.1 * x[i] * x[i] * x[i];
    double exact = 5 + 12.5 - 0.5 * 125 / 3 + 0.1 * 625 / 4; // integral over [0, 5]
    assertThat(Bjontegaard.cubicIntegral(x, y, 0, 5)).isCloseTo(exact, within(1e-9));
    // Two points: PCHIP is the straight line (trapezoid).
    assertThat(Bjontegaard.pchipIntegral(new double[] {1, 3}, new double[] {2, 6}, 1, 3))
        .isCloseTo(8, within(1e-12));
  }

  @Test
  void tooFewPointsOrNoOverlapIsNaN() {
    double[] q3 = {30, 32, 34}, r3 = rates(q3, q -> 0);
    assertThat(Bjontegaard.bdRate(r3, q3, r3, q3, Method.CUBIC)).isNaN();
    assertThat(Bjontegaard.bdRate(r3, q3, r3, q3, Method.PCHIP)).isCloseTo(0, within(1e-12));
    double[] q1 = {31}, r1 = {0.1};
    assertThat(Bjontegaard.bdRate(r3, q3, r1, q1, Method.PCHIP)).isNaN();
    double[] far = {40, 42};
    assertThat(Bjontegaard.bdRate(r3, q3, rates(far, q -> 0), far, Method.PCHIP)).isNaN();
  }
}
