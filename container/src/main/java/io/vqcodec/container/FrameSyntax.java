package io.vqcodec.container;

import java.util.Arrays;

/**
 * frame_header() of Spec §10.3, written once for the video reader, writer and size counter. Offsets
 * in messages count from the frame's {@code frame_sync}.
 */
final class FrameSyntax {
  /** Spec §10.3: frame_sync, "VQCF". */
  static final byte[] FRAME_SYNC = {'V', 'Q', 'C', 'F'};

  /** Spec §10.6: index_sync, "VQCI". */
  static final byte[] INDEX_SYNC = {'V', 'Q', 'C', 'I'};

  /** frame_sync and frame_header_size: what a reader needs to find the frame header's end. */
  static final int PREFIX_SIZE = 8;

  static final int MIN_FRAME_HEADER_SIZE = 14;

  long frameHeaderSize;
  long frameNumber;
  long frameType;
  SliceDirectory directory = new SliceDirectory();

  void visit(FieldVisitor v, int cellsWide, int cellsHigh) throws FormatException {
    v.section("Spec §10.3");
    byte[] sync = v.bytes("frame_sync", FRAME_SYNC, FRAME_SYNC.length);
    v.require(Arrays.equals(sync, FRAME_SYNC), "frame_sync {at}: not a frame header");
    frameHeaderSize =
        v.uint(
            "frame_header_size",
            4,
            frameHeaderSize,
            MIN_FRAME_HEADER_SIZE,
            Limits.MAX_FRAME_HEADER_SIZE);
    frameNumber = v.varint("frame_number", frameNumber, 0, Limits.MAX_FRAMES - 1);
    frameType = v.uint("frame_type", 1, frameType, 0, 255);
    directory.visit(v, cellsWide, cellsHigh, false);
    v.section("Spec §10.3");
    v.headerCrc();
  }
}
