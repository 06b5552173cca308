/**
 * The evaluation harness ({@code vqcodec eval}): rate-distortion and speed of image codecs on a
 * folder of PNG images (Kodak by default), against JPEG, WebP, AVIF and JPEG XL.
 *
 * <p>Layout: {@link io.vqcodec.tools.eval.EvalCodec} is the one contract a codec implements; {@link
 * io.vqcodec.tools.eval.Codecs} lists them. {@link io.vqcodec.tools.eval.RateSearch} bisects a
 * codec's knob to a target bpp, {@link io.vqcodec.tools.eval.ResultCache} keeps every (codec,
 * image, knob) evaluation on disk, {@link io.vqcodec.tools.eval.Metrics} scores decoded pixels
 * (PSNR, MS-SSIM), {@link io.vqcodec.tools.eval.PerceptualMetrics} runs libjxl's butteraugli and
 * SSIMULACRA on the chosen settings, {@link io.vqcodec.tools.eval.Bjontegaard} compares curves, and
 * {@link io.vqcodec.tools.eval.EvalReport} turns {@code points.csv} into {@code summary.md} and the
 * plots, so results stay data and plots are derived. How to run: {@code tools/EVAL.md}.
 */
package io.vqcodec.tools.eval;
