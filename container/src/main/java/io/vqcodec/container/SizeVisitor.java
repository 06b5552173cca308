package io.vqcodec.container;

/** Counts the bytes of the header syntax; checks nothing. */
final class SizeVisitor implements FieldVisitor {
  private long size;

  long size() {
    return size;
  }

  @Override
  public FieldVisitor section(String spec) {
    return this;
  }

  @Override
  public long uint(String name, int bytes, long value, long min, long max) {
    size += bytes;
    return value;
  }

  @Override
  public long varint(String name, long value, long min, long max) {
    size += varintSize(value);
    return value;
  }

  /** Spec §1.4: bytes of the canonical varint of {@code value}. */
  static int varintSize(long value) {
    int n = 1;
    for (long v = value >>> 7; v != 0; v >>>= 7) {
      n++;
    }
    return n;
  }

  @Override
  public byte[] bytes(String name, byte[] value, int length) {
    size += length;
    return value;
  }

  @Override
  public void require(boolean ok, FormatException.Reason reason, String message) {}

  @Override
  public void headerCrc() {
    size += 4;
  }

  @Override
  public boolean reading() {
    return false;
  }
}
