package io.vqcodec.tools.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A codec under evaluation: one knob, one call that encodes and decodes an image. Adding a codec to
 * the harness is one class implementing this plus one line in {@link Codecs#all}.
 *
 * <p>Contract: {@link #encodeDecode} is called with knobs inside {@link #knob()}'s range only,
 * possibly many times per image (the rate search bisects), one call at a time. The returned size
 * must be the whole file a user would store, every header included. Results are cached on disk
 * under the key ({@link #name}, {@link #configuration}, {@link #threads}, image hash, knob), so
 * {@link #configuration} must change whenever anything that changes the output bytes changes (tool
 * version, settings, model).
 */
public interface EvalCodec {
  /** Short id used in {@code --codecs}, the CSV files and the plots, e.g. {@code "avif"}. */
  String name();

  /**
   * Whether the codec can run here (binaries on the PATH, weights present); if not, it is skipped.
   */
  boolean available();

  /**
   * Human-readable tool version and settings, e.g. {@code "avifenc 0.11.1 (aom) -s 6 -y 420"}; part
   * of the cache key and printed in the summary. Only called when {@link #available()}.
   */
  String configuration();

  /** Encoder (and decoder) threads actually used; stated next to every timing. */
  int threads();

  /** The quality knob the rate search moves. */
  Knob knob();

  /**
   * Whether the knob is the target bpp itself and the codec's own rate control lands at or just
   * under it: the harness then encodes once per target instead of bisecting.
   */
  default boolean targetsBpp() {
    return false;
  }

  /** Whether a run without {@code --codecs} includes this codec (ablation variants say no). */
  default boolean inDefaultRun() {
    return true;
  }

  /**
   * Encodes {@code source} with the given knob value and decodes it again.
   *
   * @param workDir a scratch directory owned by the caller, emptied between images
   */
  Coded encodeDecode(SourceImage source, double knob, Path workDir) throws IOException;

  /**
   * A knob range. {@code rateIncreasing}: larger values give larger files (JPEG quality) or smaller
   * ones (AVIF quantizer, JPEG XL distance). {@code integer}: only whole values are valid. {@code
   * logScale}: bisect on log(value) (continuous knobs whose effect is multiplicative, like a
   * distance).
   */
  record Knob(double min, double max, boolean integer, boolean rateIncreasing, boolean logScale) {
    public Knob {
      if (!(min < max)) throw new IllegalArgumentException("empty knob range " + min + ".." + max);
      if (logScale && min <= 0) throw new IllegalArgumentException("log-scale knob needs min > 0");
    }

    /** The value that gives the smallest files. */
    public double lowestRate() {
      return rateIncreasing ? min : max;
    }

    /** The value that gives the largest files. */
    public double highestRate() {
      return rateIncreasing ? max : min;
    }
  }

  /**
   * One encode/decode: the stored size in bytes, the decoded RGB image (same size as the source)
   * and the wall times of encoding and decoding (for command-line codecs: the whole process,
   * start-up included).
   */
  record Coded(long bytes, BufferedImage decoded, long encodeNanos, long decodeNanos) {}

  /**
   * Formats a knob value the way the cache and the CSV store it (whole numbers without decimals).
   */
  static String formatKnob(double knob) {
    if (knob == Math.rint(knob) && Math.abs(knob) < 1e9) return Long.toString((long) knob);
    return String.format(java.util.Locale.ROOT, "%.3f", knob);
  }
}
