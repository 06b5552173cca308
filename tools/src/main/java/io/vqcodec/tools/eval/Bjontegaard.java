package io.vqcodec.tools.eval;

import java.util.Arrays;

/**
 * Bjøntegaard delta rate: the average rate difference (percent, negative = the test codec needs
 * fewer bits) between two rate-quality curves over the quality range both cover. log10(rate) is
 * modelled as a function of quality, integrated over the overlap, and the mean log difference
 * {@code d} becomes {@code (10^d - 1) * 100}.
 *
 * <p>Two interpolations: {@link Method#PCHIP} (piecewise cubic Hermite, Fritsch-Carlson slopes, as
 * in the current VCEG/JVET BD tools; needs 2 points per curve, follows the data exactly) and {@link
 * Method#CUBIC} (VCEG-M33: least-squares cubic polynomial; needs 4 points per curve). Points are
 * sorted by quality; points with equal quality keep the first. Both reproduce a curve that is
 * linear in log-rate exactly, which is how the test checks them by hand.
 */
public final class Bjontegaard {
  private Bjontegaard() {}

  /**
   * MS-SSIM on a dB scale, {@code -10 log10(1 - m)} (+Infinity for 1): the quality axis used for
   * MS-SSIM.
   */
  public static double msssimDb(double m) {
    return -10 * Math.log10(1 - m);
  }

  /** How log-rate is interpolated between the measured points. */
  public enum Method {
    PCHIP(2),
    CUBIC(4);

    final int minPoints;

    Method(int minPoints) {
      this.minPoints = minPoints;
    }
  }

  /**
   * BD-rate of {@code test} against {@code anchor} in percent; NaN when a curve has too few
   * distinct points or the quality ranges do not overlap.
   */
  public static double bdRate(
      double[] anchorRate,
      double[] anchorQuality,
      double[] testRate,
      double[] testQuality,
      Method method) {
    double[][] a = sorted(anchorRate, anchorQuality), t = sorted(testRate, testQuality);
    if (a[0].length < method.minPoints || t[0].length < method.minPoints) return Double.NaN;
    double lo = Math.max(a[0][0], t[0][0]);
    double hi = Math.min(a[0][a[0].length - 1], t[0][t[0].length - 1]);
    if (!(hi > lo)) return Double.NaN;
    double ia = integral(a, lo, hi, method), it = integral(t, lo, hi, method);
    return (Math.pow(10, (it - ia) / (hi - lo)) - 1) * 100;
  }

  /** {quality ascending, log10 rate}, equal qualities collapsed to the first. */
  private static double[][] sorted(double[] rate, double[] quality) {
    if (rate.length != quality.length)
      throw new IllegalArgumentException("rate and quality lengths differ");
    Integer[] idx = new Integer[rate.length];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    Arrays.sort(idx, (i, j) -> Double.compare(quality[i], quality[j]));
    double[] q = new double[rate.length], r = new double[rate.length];
    int n = 0;
    for (int i : idx) {
      if (!(rate[i] > 0) || !Double.isFinite(quality[i])) continue;
      if (n > 0 && quality[i] == q[n - 1]) continue;
      q[n] = quality[i];
      r[n] = Math.log10(rate[i]);
      n++;
    }
    return new double[][] {Arrays.copyOf(q, n), Arrays.copyOf(r, n)};
  }

  private static double integral(double[][] curve, double lo, double hi, Method m) {
    return m == Method.PCHIP
        ? pchipIntegral(curve[0], curve[1], lo, hi)
        : cubicIntegral(curve[0], curve[1], lo, hi);
  }

  /**
   * Integral over [lo, hi] of the least-squares cubic through (x, y); x centred and scaled for
   * conditioning.
   */
  static double cubicIntegral(double[] x, double[] y, double lo, double hi) {
    double c = (x[0] + x[x.length - 1]) / 2, s = Math.max((x[x.length - 1] - x[0]) / 2, 1e-12);
    double[][] ata = new double[4][5];
    for (int i = 0; i < x.length; i++) {
      double u = (x[i] - c) / s;
      double[] p = {1, u, u * u, u * u * u};
      for (int r = 0; r < 4; r++) {
        for (int k = 0; k < 4; k++) ata[r][k] += p[r] * p[k];
        ata[r][4] += p[r] * y[i];
      }
    }
    double[] coef = solve(ata);
    double ul = (lo - c) / s, uh = (hi - c) / s, sum = 0;
    for (int k = 0; k < 4; k++)
      sum += coef[k] * (Math.pow(uh, k + 1) - Math.pow(ul, k + 1)) / (k + 1);
    return sum * s;
  }

  /** Gaussian elimination with partial pivoting on an n x (n+1) augmented matrix. */
  private static double[] solve(double[][] m) {
    int n = m.length;
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
      double[] tmp = m[col];
      m[col] = m[piv];
      m[piv] = tmp;
      for (int r = col + 1; r < n; r++) {
        double f = m[r][col] / m[col][col];
        for (int k = col; k <= n; k++) m[r][k] -= f * m[col][k];
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double v = m[r][n];
      for (int k = r + 1; k < n; k++) v -= m[r][k] * x[k];
      x[r] = v / m[r][r];
    }
    return x;
  }

  /** Integral over [lo, hi] (inside [x0, xn]) of the PCHIP interpolant through (x, y). */
  static double pchipIntegral(double[] x, double[] y, double lo, double hi) {
    double[] d = pchipSlopes(x, y);
    double sum = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = Math.max(lo, x[i]), b = Math.min(hi, x[i + 1]);
      if (b <= a) continue;
      sum += hermiteIntegral(x[i], x[i + 1], y[i], y[i + 1], d[i], d[i + 1], a, b);
    }
    return sum;
  }

  /** Fritsch-Carlson monotone slopes (the scipy/MATLAB pchip end conditions). */
  static double[] pchipSlopes(double[] x, double[] y) {
    int n = x.length;
    double[] h = new double[n - 1], del = new double[n - 1], d = new double[n];
    for (int i = 0; i < n - 1; i++) {
      h[i] = x[i + 1] - x[i];
      del[i] = (y[i + 1] - y[i]) / h[i];
    }
    if (n == 2) {
      d[0] = d[1] = del[0];
      return d;
    }
    for (int i = 1; i < n - 1; i++) {
      if (del[i - 1] * del[i] <= 0) {
        d[i] = 0;
      } else {
        double w1 = 2 * h[i] + h[i - 1], w2 = h[i] + 2 * h[i - 1];
        d[i] = (w1 + w2) / (w1 / del[i - 1] + w2 / del[i]);
      }
    }
    d[0] = endSlope(h[0], h[1], del[0], del[1]);
    d[n - 1] = endSlope(h[n - 2], h[n - 3], del[n - 2], del[n - 3]);
    return d;
  }

  private static double endSlope(double h0, double h1, double m0, double m1) {
    double d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
    if (Math.signum(d) != Math.signum(m0)) return 0;
    if (Math.signum(m0) != Math.signum(m1) && Math.abs(d) > Math.abs(3 * m0)) return 3 * m0;
    return d;
  }

  /**
   * Integral over [a, b] within [x0, x1] of the cubic Hermite segment, by 3-point Gauss-Legendre
   * (exact for cubics).
   */
  private static double hermiteIntegral(
      double x0, double x1, double y0, double y1, double d0, double d1, double a, double b) {
    double h = x1 - x0, mid = (a + b) / 2, half = (b - a) / 2, r = Math.sqrt(0.6);
    double[] nodes = {-r, 0, r}, weights = {5.0 / 9, 8.0 / 9, 5.0 / 9};
    double sum = 0;
    for (int k = 0; k < 3; k++) {
      double t = (mid + half * nodes[k] - x0) / h;
      double h00 = (1 + 2 * t) * (1 - t) * (1 - t), h10 = t * (1 - t) * (1 - t);
      double h01 = t * t * (3 - 2 * t), h11 = t * t * (t - 1);
      sum += weights[k] * (h00 * y0 + h10 * h * d0 + h01 * y1 + h11 * h * d1);
    }
    return sum * half;
  }
}
