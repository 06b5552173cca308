package io.vqcodec.container;

import java.util.Arrays;

/**
 * frame_header() of Spec §10.3, in its original and its compact form (Spec §9.6.3), written once
 * for the video reader, writer and size counter. Offsets in messages count from the frame's {@code
 * frame_sync}.
 */
final class FrameSyntax {
  /** Spec §10.3: frame_sync, "VQCF". */
  static final byte[] FRAME_SYNC = {'V', 'Q', 'C', 'F'};

  /** Spec §10.6: index_sync, "VQCI". */
  static final byte[] INDEX_SYNC = {'V', 'Q', 'C', 'I'};

  /**
   * frame_sync and frame_header_size: what a reader needs to find the frame header's end (the
   * original form; the compact form's size is a varint, {@link #COMPACT_PREFIX_SIZE}).
   */
  static final int PREFIX_SIZE = 8;

  static final int MIN_FRAME_HEADER_SIZE = 14;

  /**
   * Spec §10.3, §9.6.3: the least a compact frame header takes (sync, one-byte size, number, type,
   * slice count, payload length, payload CRC, CRC).
   */
  static final int MIN_COMPACT_FRAME_HEADER_SIZE = 17;

  /** frame_sync and the longest varint frame_header_size (Spec §10.3, compact form). */
  static final int COMPACT_PREFIX_SIZE = 4 + 3;

  /** The compact form of Spec §10.3, announced by the header's type-3 block (Spec §9.6.3). */
  final boolean compact;

  long frameHeaderSize;
  long frameNumber;
  long frameType;
  SliceDirectory directory = new SliceDirectory();

  FrameSyntax(boolean compact) {
    this.compact = compact;
  }

  void visit(FieldVisitor v, int cellsWide, int cellsHigh) throws FormatException {
    v.section("Spec §10.3");
    byte[] sync = v.bytes("frame_sync", FRAME_SYNC, FRAME_SYNC.length);
    v.require(Arrays.equals(sync, FRAME_SYNC), "frame_sync {at}: not a frame header");
    frameHeaderSize =
        compact
            ? v.varint(
                "frame_header_size",
                frameHeaderSize,
                MIN_COMPACT_FRAME_HEADER_SIZE,
                Limits.MAX_FRAME_HEADER_SIZE)
            : v.uint(
                "frame_header_size",
                4,
                frameHeaderSize,
                MIN_FRAME_HEADER_SIZE,
                Limits.MAX_FRAME_HEADER_SIZE);
    frameNumber = v.varint("frame_number", frameNumber, 0, Limits.MAX_FRAMES - 1);
    frameType = v.uint("frame_type", 1, frameType, 0, 255);
    directory.visit(v, cellsWide, cellsHigh, false, 1, compact);
    v.section("Spec §10.3");
    v.headerCrc();
  }

  /**
   * The frame_header_size of a compact frame header that starts {@code prefix} (its frame_sync and
   * up to {@link #COMPACT_PREFIX_SIZE} bytes), or -1 if the bytes there are not a canonical varint
   * within the prefix and the range of Spec §10.3 (the reader's own varint, Spec §1.4).
   */
  static long compactHeaderSize(byte[] prefix) {
    ReadVisitor v = new ReadVisitor(prefix, prefix.length);
    try {
      v.bytes("frame_sync", null, FRAME_SYNC.length);
      return v.varint(
          "frame_header_size", 0, MIN_COMPACT_FRAME_HEADER_SIZE, Limits.MAX_FRAME_HEADER_SIZE);
    } catch (FormatException e) {
      return -1;
    }
  }
}
