/**
 * Entropy coding for vqcodec: the rANS coder, integer CDFs and adaptive models of Spec §7 ({@code
 * bitstream-spec/07-entropy-decoding.md}).
 *
 * <h2>Which class do I need?</h2>
 *
 * <ul>
 *   <li>A distribution known to both sides (from a network or a table): quantize it once with
 *       {@link io.vqcodec.entropy.Cdf#quantize(long[])} and code with {@link
 *       io.vqcodec.entropy.RansEncoder#encode(Cdf, int)} / {@link
 *       io.vqcodec.entropy.RansDecoder#decode(Cdf)}.
 *   <li>No model, learn the statistics as you go: {@link io.vqcodec.entropy.AdaptiveModel}
 *       (multi-symbol, order 0) or {@link io.vqcodec.entropy.AdaptiveBinaryModel} (flags).
 *   <li>Raw values with no useful statistics: bypass bits, {@link
 *       io.vqcodec.entropy.RansEncoder#encodeBits(int, int)}.
 * </ul>
 *
 * All three mix freely in one stream. The encoder takes symbols first-in-first-out although rANS is
 * a stack: it buffers the symbols and codes them in reverse in {@code finish()}.
 *
 * <p>Fixed parameters (Spec §7.1): 24-bit probabilities, a 63-bit state kept in {@code [2^31,
 * 2^63)}, 32-bit big-endian words. Overhead is below 0.01% of the information content plus at most
 * about 5 bytes per stream.
 *
 * <p>Errors: a truncated or corrupt stream is an {@link
 * io.vqcodec.entropy.EntropyDecodingException} (an {@link java.io.IOException}); a caller's logic
 * error, such as a symbol outside the alphabet, is an {@link IllegalArgumentException}.
 */
package io.vqcodec.entropy;
