package io.vqcodec.container;

import java.util.Arrays;

/**
 * frame_index() of Spec §10.6: the key frames' numbers and byte offsets, so that a reader that can
 * seek starts at the key frame at or before a time.
 *
 * @param frameNumbers key frame numbers, increasing
 * @param offsets byte offset of each key frame's frame_sync from the start of the file
 */
public record FrameIndex(long[] frameNumbers, long[] offsets) {
  public FrameIndex {
    frameNumbers = frameNumbers.clone();
    offsets = offsets.clone();
  }

  /** Key frames listed. */
  public int size() {
    return frameNumbers.length;
  }

  /** The last key frame at or before {@code frame}, as an entry number, or -1 if none. */
  public int atOrBefore(long frame) {
    int i = Arrays.binarySearch(frameNumbers, frame);
    return i >= 0 ? i : -i - 2;
  }

  @Override
  public long[] frameNumbers() {
    return frameNumbers.clone();
  }

  @Override
  public long[] offsets() {
    return offsets.clone();
  }

  /**
   * Spec §10.6, the fields before index_crc; written once for {@link VideoWriter} and the reader.
   */
  static final class Syntax {
    long count;
    long[] number = new long[0];
    long[] offset = new long[0];

    void visit(FieldVisitor v) throws FormatException {
      v.section("Spec §10.6");
      byte[] sync = v.bytes("index_sync", FrameSyntax.INDEX_SYNC, FrameSyntax.INDEX_SYNC.length);
      v.require(Arrays.equals(sync, FrameSyntax.INDEX_SYNC), "index_sync {at}: not a frame index");
      count = v.varint("key_frame_count", count, 0, Limits.MAX_FRAMES);
      int n = (int) count;
      if (number.length != n) {
        // Each entry takes at least two bytes, so a count past the bytes there are fails at the
        // first varint past the end; allocate as entries arrive, not from the count.
        number = new long[Math.min(n, 1024)];
        offset = new long[number.length];
      }
      long last = -1;
      for (int i = 0; i < n; i++) {
        if (i == number.length) {
          number = Arrays.copyOf(number, Math.min(n, 2 * number.length));
          offset = Arrays.copyOf(offset, number.length);
        }
        number[i] = v.varint("key_frame_number[" + i + "]", number[i], 0, Limits.MAX_FRAMES - 1);
        v.require(number[i] > last, "key_frame_number[" + i + "] {at}: numbers must increase");
        last = number[i];
        offset[i] = v.varint("key_frame_offset[" + i + "]", offset[i], 0, Long.MAX_VALUE >> 8);
      }
    }
  }

  /**
   * Parses frame_index() at the start of {@code b} (the bytes from index_sync on).
   *
   * @return the index and, in {@code end[0]}, the offset in {@code b} just past index_size
   * @throws FormatException if a field is out of range, the CRC or index_size does not match, or
   *     the bytes end first
   */
  static FrameIndex parse(byte[] b, int[] end) throws FormatException {
    Syntax s = new Syntax();
    ReadVisitor r = new ReadVisitor(b, b.length);
    s.visit(r);
    int crcAt = r.position();
    if (crcAt + 8 > b.length) {
      throw new FormatException(
          FormatException.Reason.INVALID_HEADER,
          "frame index {at}: the stream ends before index_crc and index_size (Spec §10.6)",
          crcAt);
    }
    long stored = u32(b, crcAt), computed = HeaderSyntax.crc32c(b, 0, crcAt);
    if (stored != computed) {
      throw new FormatException(
          FormatException.Reason.DAMAGED_HEADER,
          String.format(
              "index_crc 0x%08X {at} does not match 0x%08X (Spec §10.6)", stored, computed),
          crcAt);
    }
    long size = u32(b, crcAt + 4);
    if (size != crcAt + 4) {
      throw new FormatException(
          FormatException.Reason.INVALID_HEADER, describeIndexSize(size, crcAt + 4), crcAt + 4);
    }
    end[0] = crcAt + 8;
    int n = (int) s.count;
    return new FrameIndex(Arrays.copyOf(s.number, n), Arrays.copyOf(s.offset, n));
  }

  /** A message (conformance/README.md, "Mutation testing": describe* methods are not mutated). */
  private static String describeIndexSize(long stored, int actual) {
    return "index_size " + stored + " {at}: the index has " + actual + " bytes (Spec §10.6)";
  }

  static long u32(byte[] b, int at) {
    return ((b[at] & 0xFFL) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }
}
