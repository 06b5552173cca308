package io.vqcodec.container;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32C;

/**
 * Writes the header syntax. A checked writer refuses values the spec forbids with an {@link
 * IllegalArgumentException}; an unchecked one (tests building hostile streams) writes anything.
 */
final class WriteVisitor implements FieldVisitor {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final boolean checked;
  private String section = "";

  WriteVisitor(boolean checked) {
    this.checked = checked;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  @Override
  public FieldVisitor section(String spec) {
    section = spec;
    return this;
  }

  @Override
  public long uint(String name, int bytes, long value, long min, long max) {
    range(name, value, min, max);
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
    return value;
  }

  @Override
  public long varint(String name, long value, long min, long max) {
    range(name, value, min, max);
    writeVarint(out, value);
    return value;
  }

  /** Spec §1.4. */
  static void writeVarint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  @Override
  public byte[] bytes(String name, byte[] value, int length) {
    if (value == null || value.length != length) {
      throw new IllegalArgumentException(name + ": expected " + length + " bytes");
    }
    out.write(value, 0, length);
    return value;
  }

  @Override
  public void require(boolean ok, FormatException.Reason reason, String message) {
    if (checked && !ok) {
      throw new IllegalArgumentException(message.replace(" {at}", "") + " (" + section + ")");
    }
  }

  @Override
  public void headerCrc() {
    byte[] b = out.toByteArray();
    CRC32C c = new CRC32C();
    c.update(b, 0, b.length);
    uint("header_crc", 4, c.getValue(), 0, 0xFFFF_FFFFL);
  }

  @Override
  public boolean reading() {
    return false;
  }

  private void range(String name, long v, long min, long max) {
    if (checked && (v < min || v > max)) {
      throw new IllegalArgumentException(
          name
              + " "
              + v
              + ": must be "
              + (min == max ? Long.toString(min) : min + ".." + max)
              + " ("
              + section
              + ")");
    }
  }
}
