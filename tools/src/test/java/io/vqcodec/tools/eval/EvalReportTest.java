package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalReportTest {
  private static Point point(String image, double target, boolean reached, double bpp) {
    return new Point(image, "x", target, reached, 1, 100, bpp, 30, 0.9, 10, 5, 1, 2, 1, 0.05);
  }

  private static Point scored(
      String codec, String image, double bpp, double butteraugli, double ssimulacra) {
    return new Point(
        image,
        codec,
        bpp,
        true,
        bpp,
        100,
        bpp,
        30,
        0.9,
        10,
        5,
        1,
        butteraugli,
        butteraugli / 2,
        ssimulacra);
  }

  @Test
  void perceptualMeansAreShownOnlyWhenEveryImageHasTheScore() {
    double nan = Double.NaN;
    EvalReport r =
        new EvalReport(
            List.of(
                scored("x", "a", 0.1, 2.0, 0.04),
                scored("x", "b", 0.1, 4.0, 0.06),
                scored("y", "a", 0.1, 3.0, nan),
                new Point("b", "y", 0.1, true, 0.1, 100, 0.1, 30, 0.9, 10, 5, 1, nan, nan, nan)),
            Map.of("metrics", "butteraugli_main+ssimulacra_main libjxl-devtools 0.7.0"));
    EvalReport.Mean x = r.mean("x", 0.1), y = r.mean("y", 0.1);
    assertThat(x.butteraugli()).isCloseTo(3.0, within(1e-12));
    assertThat(x.butteraugli3()).isCloseTo(1.5, within(1e-12));
    assertThat(x.ssimulacra()).isCloseTo(0.05, within(1e-12));
    assertThat(x.scored()).isEqualTo(2);
    assertThat(y.butteraugli()).isNaN();
    assertThat(y.ssimulacra()).isNaN();
    assertThat(y.scored()).isZero();
    assertThat(r.summary())
        .contains(
            "## Perceptual metrics (lower is better)",
            "| x | 0.100 | 0.1000 | 3.000 | 1.500 | 0.0500 | 2/2 |",
            "| y | 0.100 | 0.1000 | - | - | - | 0/2 |",
            "libjxl-devtools 0.7.0");
  }

  @Test
  void perceptualBdRateNegatesTheDistance() {
    // Anchor: distance 4 - log2(bpp * 100); test: the same distances at half the rate -> -50%.
    List<Point> pts = new java.util.ArrayList<>();
    for (String image : List.of("a", "b")) {
      for (double bpp : new double[] {0.05, 0.1, 0.2, 0.4}) {
        double d = 4 - Math.log(bpp * 100) / Math.log(2);
        pts.add(scored("avif", image, bpp, d, d / 10));
        pts.add(scored("x", image, bpp / 2, d, d / 10));
      }
    }
    EvalReport r = new EvalReport(pts, Map.of());
    for (EvalReport.Quality q :
        List.of(
            EvalReport.Quality.BUTTERAUGLI,
            EvalReport.Quality.BUTTERAUGLI_3NORM,
            EvalReport.Quality.SSIMULACRA)) {
      for (Bjontegaard.Method m : Bjontegaard.Method.values()) {
        EvalReport.Bd bd = r.bdRate("x", q, m);
        assertThat(bd.images()).as("%s %s", q, m).isEqualTo(2);
        assertThat(bd.percent()).as("%s %s", q, m).isCloseTo(-50.0, within(1e-6));
      }
    }
    // One missing score drops that image from the perceptual BD-rates, not from PSNR's.
    pts.set(0, scored("avif", "a", 0.05, Double.NaN, Double.NaN));
    r = new EvalReport(pts, Map.of());
    assertThat(r.bdRate("x", EvalReport.Quality.BUTTERAUGLI, Bjontegaard.Method.PCHIP).images())
        .isEqualTo(1);
    assertThat(r.bdRate("x", EvalReport.Quality.PSNR, Bjontegaard.Method.PCHIP).images())
        .isZero(); // PSNR is 30 everywhere: no quality range, so no BD-rate
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
