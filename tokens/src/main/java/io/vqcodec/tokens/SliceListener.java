package io.vqcodec.tokens;

/**
 * Told about each slice as soon as it has been read and entropy-decoded, before the stream's later
 * slices arrive: a progressive consumer can show which rows are known, a network client can count
 * losses. Called on the decoding thread, in slice order.
 */
@FunctionalInterface
public interface SliceListener {
  void sliceDecoded(SliceReport report);
}
