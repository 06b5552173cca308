package io.vqcodec.tools.eval;

/**
 * One (codec, image, knob) encode/decode, scored: the unit the cache stores and the rate search
 * compares. {@code bpp} = bytes * 8 / (width * height), headers included; times in ms (wall).
 */
record Evaluation(
    double knob, long bytes, double bpp, double psnr, double msssim, double encMs, double decMs) {}
