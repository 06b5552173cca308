package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class VideoRateSearchTest {
  private int calls;

  private VideoRateSearch search(boolean integer, DoubleUnaryOperator bytesAt) {
    return new VideoRateSearch(
        k -> {
          calls++;
          return Math.round(bytesAt.applyAsDouble(k));
        },
        0,
        51,
        integer,
        0.02);
  }

  private static final DoubleUnaryOperator CRF = k -> 1e6 * Math.exp(-0.12 * k);

  @Test
  void fractionalKnobLandsWithinTheTolerance() throws Exception {
    VideoRateSearch s = search(false, CRF);
    for (double target : new double[] {5000, 20000, 123456}) {
      VideoRateSearch.Outcome o = s.search(target);
      assertThat(o.reached()).isTrue();
      assertThat(Math.abs(o.bytes() / target - 1)).isLessThanOrEqualTo(0.02);
    }
    assertThat(calls).isEqualTo(s.evaluations()).isLessThan(40);
  }

  @Test
  void integerKnobKeepsTheClosestOfAdjacentSettings() throws Exception {
    VideoRateSearch s = search(true, CRF);
    double target = 30000;
    VideoRateSearch.Outcome o = s.search(target);
    double best = Double.NaN, err = Double.POSITIVE_INFINITY;
    for (int k = 0; k <= 51; k++) {
      double e = Math.abs(Math.log(Math.round(CRF.applyAsDouble(k)) / target));
      if (e < err) {
        err = e;
        best = k;
      }
    }
    assertThat(o.knob()).isEqualTo(best);
    assertThat(o.reached()).isTrue();
  }

  @Test
  void aTargetBelowTheLowestRateIsUnreachableAtTheHighestCrf() throws Exception {
    VideoRateSearch s = search(true, CRF);
    VideoRateSearch.Outcome o = s.search(CRF.applyAsDouble(51) / 2);
    assertThat(o.reached()).isFalse();
    assertThat(o.knob()).isEqualTo(51);
    assertThat(calls).isEqualTo(1);
  }

  @Test
  void searchesOfOneClipShareTheirEncodes() throws Exception {
    VideoRateSearch s = search(false, CRF);
    s.search(20000);
    int first = calls;
    VideoRateSearch.Outcome again = s.search(20000);
    assertThat(calls).isEqualTo(first);
    assertThat(again.evaluations()).isZero();
  }
}
