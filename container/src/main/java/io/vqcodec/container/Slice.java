package io.vqcodec.container;

import java.util.Arrays;

/**
 * One slice (Spec §5.1): the cell rows {@code firstRow .. firstRow + rowCount - 1} and their coded
 * payload. Slices a reader returns carry a {@link Status}; a decoder marks every token of a slice
 * whose status is not {@link Status#OK} as lost (Spec §5.5).
 */
public final class Slice {
  /** How a slice arrived (Spec §5.4). */
  public enum Status {
    /** The whole payload arrived and its CRC-32C matches. */
    OK,
    /** The whole payload arrived but its CRC-32C does not match: the payload is damaged. */
    CRC_MISMATCH,
    /** The stream ended inside the payload; {@link #payload()} holds the bytes that arrived. */
    TRUNCATED,
    /** The stream ended before the payload began; the payload is empty. */
    MISSING
  }

  private final int firstRow;
  private final int rowCount;
  private final byte[] payload;
  private final Status status;

  /** A slice to write. */
  public Slice(int firstRow, int rowCount, byte[] payload) {
    this(firstRow, rowCount, payload.clone(), Status.OK);
  }

  Slice(int firstRow, int rowCount, byte[] payload, Status status) {
    if (firstRow < 0 || rowCount < 1) {
      throw new IllegalArgumentException("slice rows " + firstRow + "+" + rowCount);
    }
    this.firstRow = firstRow;
    this.rowCount = rowCount;
    this.payload = payload;
    this.status = status;
  }

  /** First cell row (a cell is 16x16 pixels). */
  public int firstRow() {
    return firstRow;
  }

  public int rowCount() {
    return rowCount;
  }

  /** A copy of the payload; unverified unless {@link #status()} is OK. */
  public byte[] payload() {
    return payload.clone();
  }

  public int payloadSize() {
    return payload.length;
  }

  byte[] payloadNoCopy() {
    return payload;
  }

  public Status status() {
    return status;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Slice s
        && s.firstRow == firstRow
        && s.rowCount == rowCount
        && s.status == status
        && Arrays.equals(s.payload, payload);
  }

  @Override
  public int hashCode() {
    return ((firstRow * 31 + rowCount) * 31 + status.hashCode()) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Slice[rows "
        + firstRow
        + ".."
        + (firstRow + rowCount - 1)
        + ", "
        + payload.length
        + " bytes, "
        + status
        + "]";
  }
}
