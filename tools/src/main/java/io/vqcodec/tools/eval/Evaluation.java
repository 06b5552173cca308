package io.vqcodec.tools.eval;

/**
 * One (codec, image, knob) encode/decode, scored: the unit the cache stores and the rate search
 * compares. {@code bpp} = bytes * 8 / (width * height), headers included; times in ms (wall). The
 * perceptual {@code scores} are measured only for the settings a search chooses ({@link
 * PerceptualMetrics.Scores#MISSING} until then).
 */
record Evaluation(
    double knob,
    long bytes,
    double bpp,
    double psnr,
    double msssim,
    double encMs,
    double decMs,
    PerceptualMetrics.Scores scores) {

  Evaluation(
      double knob, long bytes, double bpp, double psnr, double msssim, double encMs, double decMs) {
    this(knob, bytes, bpp, psnr, msssim, encMs, decMs, PerceptualMetrics.Scores.MISSING);
  }

  Evaluation withScores(PerceptualMetrics.Scores s) {
    return new Evaluation(knob, bytes, bpp, psnr, msssim, encMs, decMs, s);
  }
}
