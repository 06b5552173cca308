package io.vqcodec.container;

import java.io.IOException;

/**
 * A stream that does not conform to the bitstream spec, or that uses a feature this decoder does
 * not implement. The message names the syntax element, its value, the byte offset and the rule.
 * Damaged slices are not reported this way: they come back with a {@link Slice.Status}.
 */
public final class FormatException extends IOException {
  private static final long serialVersionUID = 1L;
  private final long offset;

  /** @param offset byte offset from the start of the file, or -1 when no single byte is at fault */
  public FormatException(String message, long offset) {
    super(offset >= 0 ? message.replace("{at}", "at byte " + offset) : message.replace(" {at}", ""));
    this.offset = offset;
  }

  /** Byte offset from the start of the file of the offending field, or -1. */
  public long offset() {
    return offset;
  }
}
