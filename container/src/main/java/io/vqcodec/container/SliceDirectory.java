package io.vqcodec.container;

import java.util.List;

/**
 * slice_directory() of Spec §5.2, written once for the picture header and the frame header of a
 * video (Spec §10.3): per slice its rows, payload length and payload CRC.
 */
final class SliceDirectory {
  long count;
  long[] firstRow = new long[0];
  long[] rowCount = new long[0];
  long[] payloadLength = new long[0];
  long[] payloadCrc = new long[0];

  /**
   * Spec §5.2 for a grid of {@code cellsWide} x {@code cellsHigh} cells; {@code empty}: the
   * directory of a video's header, which has no slices (Spec §10.2).
   */
  void visit(FieldVisitor v, int cellsWide, int cellsHigh, boolean empty) throws FormatException {
    visit(v, cellsWide, cellsHigh, empty, 1);
  }

  /** With {@code stageCount} stages per fine cell at most (Spec §9.6.2, §A.2). */
  void visit(FieldVisitor v, int cellsWide, int cellsHigh, boolean empty, int stageCount)
      throws FormatException {
    visit(v, cellsWide, cellsHigh, empty, stageCount, false);
  }

  /**
   * {@code compact}: the directory of a compact frame header (Spec §10.3, §9.6.3), which codes
   * neither first_row (it is always the rows before it) nor the last slice's row_count (it is the
   * rows left).
   */
  void visit(
      FieldVisitor v, int cellsWide, int cellsHigh, boolean empty, int stageCount, boolean compact)
      throws FormatException {
    visit(v, cellsWide, cellsHigh, empty, stageCount, compact, -1);
  }

  /**
   * A still picture's directory whose payloads carry a pixel residual (Spec §9.6.4) at {@code
   * residualShift} (the resolution shift of Spec §9.6.1; -1 without a residual), which raises their
   * bound (Spec §A.2).
   */
  void visit(
      FieldVisitor v,
      int cellsWide,
      int cellsHigh,
      boolean empty,
      int stageCount,
      int residualShift)
      throws FormatException {
    visit(v, cellsWide, cellsHigh, empty, stageCount, false, residualShift);
  }

  private void visit(
      FieldVisitor v,
      int cellsWide,
      int cellsHigh,
      boolean empty,
      int stageCount,
      boolean compact,
      int residualShift)
      throws FormatException {
    v.section("Spec §5.2");
    count =
        empty
            ? v.varint("slice_count", count, 0, 0)
            : v.varint("slice_count", count, 1, Math.min(cellsHigh, Limits.MAX_SLICES));
    int n = (int) count;
    if (firstRow.length != n) {
      firstRow = new long[n];
      rowCount = new long[n];
      payloadLength = new long[n];
      payloadCrc = new long[n];
    }
    if (n == 0) return;
    long next = 0;
    for (int i = 0; i < n; i++) {
      String s = "slice[" + i + "].";
      if (compact) {
        if (v.reading()) firstRow[i] = next;
      } else {
        firstRow[i] = v.varint(s + "first_row", firstRow[i], 0, cellsHigh - 1);
      }
      v.require(
          firstRow[i] == next,
          s
              + "first_row "
              + firstRow[i]
              + " {at}: must be "
              + next
              + " (slices cover the cell rows in order, without gaps or overlaps)");
      if (compact && i == n - 1) {
        // Spec §10.3: the last slice takes the rows left, at least one by the bound below.
        if (v.reading()) rowCount[i] = cellsHigh - next;
      } else {
        // Compact: each slice leaves at least a row to each slice after it (Spec §10.3).
        long left = compact ? n - 1 - i : 0;
        rowCount[i] = v.varint(s + "row_count", rowCount[i], 1, cellsHigh - next - left);
      }
      next += rowCount[i];
      payloadLength[i] =
          v.varint(
              s + "payload_length",
              payloadLength[i],
              0,
              Limits.maxSlicePayload((int) (cellsWide * rowCount[i]), stageCount, residualShift));
      payloadCrc[i] = v.uint(s + "payload_crc", 4, payloadCrc[i], 0, 0xFFFF_FFFFL);
    }
    v.require(next == cellsHigh, describeUncovered(next, cellsHigh));
  }

  /** A message (conformance/README.md, "Mutation testing": describe* methods are not mutated). */
  private static String describeUncovered(long rowsCovered, int cellsHigh) {
    return "slice directory {at} covers cell rows 0.."
        + (rowsCovered - 1)
        + " of 0.."
        + (cellsHigh - 1)
        + ": slices must cover every cell row";
  }

  /** The directory of {@code slices}, CRCs computed. */
  static SliceDirectory of(List<Slice> slices) {
    SliceDirectory d = new SliceDirectory();
    int n = slices.size();
    d.count = n;
    d.firstRow = new long[n];
    d.rowCount = new long[n];
    d.payloadLength = new long[n];
    d.payloadCrc = new long[n];
    for (int i = 0; i < n; i++) {
      Slice sl = slices.get(i);
      d.firstRow[i] = sl.firstRow();
      d.rowCount[i] = sl.rowCount();
      d.payloadLength[i] = sl.payloadSize();
      d.payloadCrc[i] = HeaderSyntax.crc32c(sl.payloadNoCopy(), 0, sl.payloadSize());
    }
    return d;
  }
}
