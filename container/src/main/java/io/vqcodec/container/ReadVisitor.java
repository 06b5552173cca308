package io.vqcodec.container;

import java.util.Arrays;

/**
 * Reads the header syntax from a buffer holding the first {@code limit} bytes of the file; every
 * value is range-checked before it is returned, so the caller can size arrays with it. Spec §1.2
 * (byte order), §1.4 (varint), §2.5 (header CRC).
 */
final class ReadVisitor implements FieldVisitor {
  private final byte[] buf;
  private final int limit;

  /**
   * Fields end before this offset: {@code limit - 4} when the last 4 bytes are the CRC of what
   * precedes them (Spec §2.4 step 6: a field that would run into header_crc is invalid), else
   * {@code limit}.
   */
  private int fieldEnd;

  private int pos;
  private int fieldStart;
  private String section = "";

  ReadVisitor(byte[] buf, int limit) {
    this(buf, limit, false);
  }

  /**
   * @param crcLast whether the last 4 of the {@code limit} bytes are a CRC that {@link #headerCrc}
   *     reads: no other field may run into them
   */
  ReadVisitor(byte[] buf, int limit, boolean crcLast) {
    this.buf = buf;
    this.limit = limit;
    this.fieldEnd = crcLast ? limit - 4 : limit;
  }

  int position() {
    return pos;
  }

  @Override
  public FieldVisitor section(String spec) {
    section = spec;
    return this;
  }

  @Override
  public long uint(String name, int bytes, long value, long min, long max) throws FormatException {
    need(name, bytes);
    long v = 0;
    for (int i = 0; i < bytes; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return range(name, v, min, max);
  }

  /** Spec §1.4: little-endian base-128 groups, at most 8 bytes, canonical. */
  @Override
  public long varint(String name, long value, long min, long max) throws FormatException {
    fieldStart = pos;
    long v = 0;
    for (int i = 0; ; i++) {
      if (i == Limits.MAX_VARINT_BYTES) {
        throw new FormatException(
            FormatException.Reason.INVALID_HEADER,
            name + " {at}: varint longer than " + Limits.MAX_VARINT_BYTES + " bytes (Spec §1.4)",
            fieldStart);
      }
      if (pos >= fieldEnd) {
        throw new FormatException(
            FormatException.Reason.INVALID_HEADER, describeOverrun(name, "varint"), fieldStart);
      }
      int b = buf[pos++] & 0xFF;
      v |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new FormatException(
              FormatException.Reason.INVALID_HEADER,
              name + " {at}: non-canonical varint (final byte 0x00) (Spec §1.4)",
              fieldStart);
        }
        break;
      }
    }
    return range(name, v, min, max);
  }

  @Override
  public byte[] bytes(String name, byte[] value, int length) throws FormatException {
    need(name, length);
    pos += length;
    return Arrays.copyOfRange(buf, fieldStart, pos);
  }

  @Override
  public void require(boolean ok, FormatException.Reason reason, String message)
      throws FormatException {
    if (!ok) throw new FormatException(reason, message + " (" + section + ")", fieldStart);
  }

  @Override
  public void headerCrc() throws FormatException {
    if (pos != limit - 4) {
      throw new FormatException(
          FormatException.Reason.INVALID_HEADER, describeSyntaxEnd(pos, limit - 4), pos);
    }
    long computed = HeaderSyntax.crc32c(buf, 0, pos);
    fieldEnd = limit;
    long stored = uint("header_crc", 4, 0, 0, 0xFFFF_FFFFL);
    if (stored != computed) {
      throw new FormatException(
          FormatException.Reason.DAMAGED_HEADER,
          HeaderSyntax.describeCrcMismatch(stored, computed, fieldStart, section),
          fieldStart);
    }
  }

  @Override
  public boolean reading() {
    return true;
  }

  private void need(String name, int bytes) throws FormatException {
    fieldStart = pos;
    if (fieldEnd - pos < bytes) {
      throw new FormatException(
          FormatException.Reason.INVALID_HEADER, describeOverrun(name, bytes + " bytes"), pos);
    }
  }

  private long range(String name, long v, long min, long max) throws FormatException {
    if (v < min || v > max) {
      throw new FormatException(
          FormatException.Reason.INVALID_HEADER, describeRange(name, v, min, max), fieldStart);
    }
    return v;
  }

  // Messages. They name the field, the rule and the spec section; no outcome of Annex C depends on
  // them (conformance/README.md, "Mutation testing": describe* methods are not mutated).

  private String describeOverrun(String name, String what) {
    return name
        + " {at} ("
        + what
        + ") runs "
        + (fieldEnd < limit ? "into header_crc" : "past the end of the header")
        + " ("
        + limit
        + " bytes) ("
        + section
        + ")";
  }

  private String describeRange(String name, long v, long min, long max) {
    return name
        + " "
        + v
        + " {at}: must be "
        + (min == max ? Long.toString(min) : min + ".." + max)
        + " ("
        + section
        + ")";
  }

  private static String describeSyntaxEnd(int end, int crcAt) {
    return "header syntax ends at byte "
        + end
        + " but header_size says the header_crc is at byte "
        + crcAt
        + " (Spec §2.4)";
  }
}
