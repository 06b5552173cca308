package io.vqcodec.conformance;

import java.util.List;

/**
 * What a decoder under test did with one vector, in the terms of Spec §C.4: either it refused the
 * stream (an error category and, if it reports one, a byte offset) or it produced a token grid
 * (given by its canonical SHA-256, §C.2) with an outcome per slice. Header fields a decoder does
 * not report are null or 0 and are not compared.
 *
 * @param refused whether the stream was refused
 * @param error error category when refused
 * @param errorOffset byte offset of the error, or -1 when not reported
 * @param width picture width, 0 if not reported
 * @param height picture height, 0 if not reported
 * @param channel {@code rgb} or {@code gray}, null if not reported
 * @param k codebook size, 0 if not reported
 * @param granularity granularity mode name, null if not reported
 * @param probModel prob_model_id, -1 if not reported
 * @param slices slice outcomes in order, null if not reported
 * @param endCode {@code ok} or {@code warn}, null if not reported
 * @param tokensSha256 SHA-256 of the canonical token serialisation
 * @param detail a message for the report (the decoder's error text)
 */
public record DecoderResult(
    boolean refused,
    String error,
    long errorOffset,
    int width,
    int height,
    String channel,
    int k,
    String granularity,
    int probModel,
    List<String> slices,
    String endCode,
    String tokensSha256,
    String detail) {

  static DecoderResult refusal(String error, long offset, String detail) {
    return new DecoderResult(
        true, error, offset, 0, 0, null, 0, null, -1, null, null, null, detail);
  }

  /** A result with nothing but the token hash and (optionally) slice outcomes. */
  static DecoderResult tokens(String sha256, List<String> slices) {
    return new DecoderResult(false, null, -1, 0, 0, null, 0, null, -1, slices, null, sha256, "");
  }
}
