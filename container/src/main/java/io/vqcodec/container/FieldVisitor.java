package io.vqcodec.container;

/**
 * One walk over the header syntax of {@link HeaderSyntax#visit}: a reader fills the fields from
 * bytes, a writer emits them, a size counter counts them. Each method takes the field's current
 * value and returns its value after the visit (read, or unchanged).
 *
 * <p>Range and rule failures are {@link FormatException}s on read and {@link
 * IllegalArgumentException}s on write (an encoder bug); a size counter checks nothing.
 */
interface FieldVisitor {
  /**
   * Spec section of the fields that follow, named in error messages ("Spec §3.2").
   *
   * @return this visitor (a syntax group opens with the call; its value is not needed)
   */
  FieldVisitor section(String spec);

  /** Unsigned big-endian integer of {@code bytes} (1, 2 or 4) bytes in {@code min..max}. */
  long uint(String name, int bytes, long value, long min, long max) throws FormatException;

  /** varint of Spec §1.4, in {@code min..max}. */
  long varint(String name, long value, long min, long max) throws FormatException;

  /**
   * {@code length} raw bytes ({@code value} is ignored on read and must have that length on write).
   */
  byte[] bytes(String name, byte[] value, int length) throws FormatException;

  /**
   * A rule across fields. {@code message} describes the violation; "{at}" in it becomes the byte
   * offset of the most recent field.
   */
  default void require(boolean ok, String message) throws FormatException {
    require(ok, FormatException.Reason.INVALID_HEADER, message);
  }

  /**
   * As {@link #require(boolean, String)}, for a refusal of another category than an invalid header.
   */
  void require(boolean ok, FormatException.Reason reason, String message) throws FormatException;

  /** header_crc: CRC-32C (Spec §1.5) of every header byte before it, as u32. */
  void headerCrc() throws FormatException;

  boolean reading();
}
