package io.vqcodec.tokens;

/**
 * What happened to one slice while decoding (Spec §5.4, §5.5).
 *
 * @param index slice index in directory order
 * @param firstRow first cell row (cells are 16x16 pixels)
 * @param rowCount cell rows
 * @param payloadBytes payload_length from the slice directory
 * @param outcome how the slice was decoded or why it was lost
 * @param detail for a lost slice, a sentence for the user; empty otherwise
 */
public record SliceReport(
    int index, int firstRow, int rowCount, int payloadBytes, Outcome outcome, String detail) {

  /** Decoded, or lost and why. */
  public enum Outcome {
    /** Decoded: all tokens of its cells are known. */
    DECODED,
    /** Lost: the payload arrived but fails its CRC-32C (damaged in storage or transit). */
    DAMAGED,
    /** Lost: the stream ended inside the payload. */
    TRUNCATED,
    /** Lost: the stream ended before the payload. */
    MISSING,
    /** Lost: the encoder dropped it (payload_length 0, Spec §5.3). */
    DROPPED,
    /**
     * Lost: the payload matches its CRC but does not decode (a non-conforming encoder, Spec §6.6).
     */
    UNDECODABLE,
    /** Lost on purpose: discarded by a loss simulation. */
    SIMULATED_LOSS;

    public boolean lost() {
      return this != DECODED;
    }
  }

  public boolean lost() {
    return outcome.lost();
  }
}
