package io.vqcodec.tools.eval;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bisects a baseline's knob (CRF: higher means fewer bytes) to a target size. Every evaluated
 * setting is remembered, so searches for several targets of one clip share their encodes. A real
 * knob stops within {@code tolerance} of the target (relative size) or when the bracket is narrower
 * than {@code step}; an integer knob stops at adjacent values. The setting closest to the target on
 * a log scale is kept; the target is unreachable when the knob's lowest-rate end is still more than
 * 10% above it (that end is then the outcome).
 */
final class VideoRateSearch {
  /** Bytes of the file coded at one knob setting. */
  interface Sizer {
    long bytes(double knob) throws IOException;
  }

  record Outcome(double knob, long bytes, boolean reached, int evaluations) {}

  static final double UNREACHABLE = 1.10;

  private final Sizer sizer;
  private final double lo, hi, tolerance, step;
  private final boolean integer;
  private final Map<Double, Long> seen = new TreeMap<>();

  VideoRateSearch(Sizer sizer, double lo, double hi, boolean integer, double tolerance) {
    this.sizer = sizer;
    this.lo = lo;
    this.hi = hi;
    this.integer = integer;
    this.tolerance = tolerance;
    this.step = integer ? 1 : 0.01;
  }

  /** How many distinct settings were coded so far. */
  int evaluations() {
    return seen.size();
  }

  private long at(double k) throws IOException {
    Long b = seen.get(k);
    if (b == null) {
      b = sizer.bytes(k);
      seen.put(k, b);
    }
    return b;
  }

  private static double distance(long bytes, double target) {
    return Math.abs(Math.log(bytes / target));
  }

  Outcome search(double targetBytes) throws IOException {
    int before = seen.size();
    long atHi = at(hi);
    if (atHi > targetBytes * UNREACHABLE) {
      return new Outcome(hi, atHi, false, seen.size() - before);
    }
    // The bracket [a, b]: bytes(a) >= target >= bytes(b), narrowed by what is already known.
    double a = lo, b = hi;
    for (Map.Entry<Double, Long> e : seen.entrySet()) {
      double k = e.getKey();
      long v = e.getValue();
      if (!integer && distance(v, targetBytes) <= Math.log1p(tolerance)) {
        return new Outcome(k, v, true, seen.size() - before);
      }
      if (v >= targetBytes && k > a) a = k;
      if (v <= targetBytes && k < b) b = k;
    }
    while (b - a > step * (integer ? 1 : 1.5)) {
      double m = integer ? Math.floor((a + b) / 2) : Math.round((a + b) / 2 / step) * step;
      long v = at(m);
      if (!integer && distance(v, targetBytes) <= Math.log1p(tolerance)) {
        return new Outcome(m, v, true, seen.size() - before);
      }
      if (v >= targetBytes) a = m;
      else b = m;
    }
    long vb = at(b), va = at(a);
    boolean pickA = distance(va, targetBytes) < distance(vb, targetBytes);
    return new Outcome(pickA ? a : b, pickA ? va : vb, true, seen.size() - before);
  }
}
