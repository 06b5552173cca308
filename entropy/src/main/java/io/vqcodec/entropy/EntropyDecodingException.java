package io.vqcodec.entropy;

import java.io.IOException;

/**
 * The entropy-coded stream is truncated or corrupt (Spec §7.11). The message names the problem and
 * the byte offset relative to the start of the stream. Errors in the caller's own arguments are
 * {@link IllegalArgumentException}s instead.
 */
public final class EntropyDecodingException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int offset;

  public EntropyDecodingException(String message, int offset) {
    super(message + " (at byte offset " + offset + " of the entropy stream)");
    this.offset = offset;
  }

  /** Byte offset, relative to the start of the entropy stream, at which the problem was found. */
  public int offset() {
    return offset;
  }
}
