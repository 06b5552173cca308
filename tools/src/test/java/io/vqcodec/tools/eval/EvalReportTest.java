package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalReportTest {
  private static Point point(String image, double target, boolean reached, double bpp) {
    return new Point(image, "x", target, reached, 1, 100, bpp, 30, 0.9, 10, 5, 1);
  }

  @Test
  void distanceFromTheTargetCountsOnlyImagesThatReachIt() {
    EvalReport r =
        new EvalReport(
            List.of(
                point("a", 0.1, true, 0.098),
                point("b", 0.1, true, 0.09),
                point("c", 0.1, false, 0.2)),
            Map.of());
    EvalReport.Landing l = r.landing("x", 0.1);
    assertThat(l.reached()).isEqualTo(2);
    assertThat(l.total()).isEqualTo(3);
    assertThat(l.meanPercent()).isCloseTo(-6.0, within(1e-9));
    assertThat(l.worstPercent()).isCloseTo(-10.0, within(1e-9));
    assertThat(l.within5()).isEqualTo(1);
    assertThat(r.summary())
        .contains("## Distance from the target", "| x | 0.100 | 2/3 | -6.00% | -10.00% | 1/2 |");
  }
}
