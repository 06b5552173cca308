package io.vqcodec.container;

import java.io.IOException;

/**
 * A stream that does not conform to the bitstream spec, or that uses a feature this decoder does
 * not implement. The message names the syntax element, its value, the byte offset and the rule.
 * Damaged slices are not reported this way: they come back with a {@link Slice.Status}.
 */
public final class FormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why the stream is refused: the error categories of Spec §2.7 and §C.4, in §2.4's order. */
  public enum Reason {
    /** The first 8 bytes are not the magic (Spec §2.2.1). */
    NOT_VQC,
    /** version_major is not 0 (Spec §2.2.3). */
    UNSUPPORTED_VERSION,
    /** The stream ends inside the magic, the prefix or header() (Spec §2.4 steps 1 to 4). */
    TRUNCATED_HEADER,
    /** header_crc does not match (Spec §2.5). */
    DAMAGED_HEADER,
    /**
     * A value out of range or reserved, a broken rule or limit, a bad varint (Spec §2.4 step 6, 7).
     */
    INVALID_HEADER,
    /** A critical extension block of a type this decoder does not implement (Spec §9.4). */
    UNKNOWN_CRITICAL_EXTENSION
  }

  private final Reason reason;
  private final long offset;

  /**
   * @param message names the element, its value and the rule; "{at}" becomes "at byte N"
   * @param offset byte offset from the start of the file, or -1 when no single byte is at fault
   */
  public FormatException(Reason reason, String message, long offset) {
    super(
        offset >= 0 ? message.replace("{at}", "at byte " + offset) : message.replace(" {at}", ""));
    this.reason = java.util.Objects.requireNonNull(reason);
    this.offset = offset;
  }

  /** The category of the refusal (Spec §C.4). */
  public Reason reason() {
    return reason;
  }

  /** Byte offset from the start of the file of the offending field, or -1. */
  public long offset() {
    return offset;
  }
}
