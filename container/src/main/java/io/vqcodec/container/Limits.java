package io.vqcodec.container;

/**
 * Normative limits of Spec §A.1 to §A.4. A reader checks every size, count and length against these
 * before it allocates anything for it; a writer refuses to exceed them.
 */
public final class Limits {
  private Limits() {}

  /** Spec §A.1: picture width and height, in pixels. */
  public static final int MAX_WIDTH = 16384;

  public static final int MAX_HEIGHT = 16384;

  /** Spec §A.1: width times height. */
  public static final long MAX_PIXELS = 1L << 26;

  /** Side of a granularity cell in pixels (Spec §6.1). */
  public static final int CELL = 16;

  /** Spec §A.2: slices per picture (also at most one per cell row). */
  public static final int MAX_SLICES = 1024;

  /** Spec §A.3: bytes of header(), magic to header_crc inclusive. */
  public static final int MAX_HEADER_SIZE = 1 << 22;

  /** Spec §A.3: extension blocks per header. */
  public static final int MAX_EXTENSIONS = 64;

  /** Spec §A.3: bytes of one extension payload. */
  public static final int MAX_EXTENSION_SIZE = 1 << 20;

  /** Spec §A.4: bytes of one varint. */
  public static final int MAX_VARINT_BYTES = 8;

  /** Spec §A.4: largest model_id. */
  public static final long MAX_MODEL_ID = 0xFFFF_FFFFL;

  /** Spec §A.2: largest payload_length of a slice of {@code cells} cells. */
  public static int maxSlicePayload(int cells) {
    return maxSlicePayload(cells, 1);
  }

  /**
   * Spec §A.2: largest payload_length of a slice of {@code cells} cells whose fine cells may carry
   * {@code stageCount} stages (Spec §9.6.2): 16 bytes more per cell for each stage after the first.
   */
  public static int maxSlicePayload(int cells, int stageCount) {
    return maxSlicePayload(cells, stageCount, -1);
  }

  /**
   * Spec §A.2: as {@link #maxSlicePayload(int, int)} for payloads that carry a pixel residual (Spec
   * §6.9) at resolution shift {@code residualShift} (Spec §9.6.1; -1 without a residual): 4 bytes
   * more per slice and {@link #RESIDUAL_CELL_BYTES} per 16x16 pixels of the picture the residual
   * covers, {@code 4^residualShift} per cell. At most 64 + 4 + (32 + 32 + 4864 * 16) * 2^20 bytes
   * for the largest grid of Spec §A.1 at quarter size: below 2^31.
   */
  public static int maxSlicePayload(int cells, int stageCount, int residualShift) {
    long perCell = 32 + 16 * (stageCount - 1);
    long fixed = 64;
    if (residualShift >= 0) {
      perCell += (long) RESIDUAL_CELL_BYTES << (2 * residualShift);
      fixed += 4;
    }
    return (int) Math.min(Integer.MAX_VALUE, fixed + perCell * cells);
  }

  /**
   * Spec §A.2: the most a pixel residual (Spec §6.9) codes per 16x16 pixels: 12 blocks (four per
   * plane), each at most 65 symbols of at most 24 bits, 64 escapes of at most 25 bypass bits and 64
   * signs, rounded up.
   */
  public static final int RESIDUAL_CELL_BYTES = 4864;

  static int cells(long pixels) {
    return (int) ((pixels + CELL - 1) / CELL);
  }

  /** Spec §A.6: frames of a video (frame_count and frame_number bound). */
  public static final int MAX_FRAMES = 1 << 24;

  /** Spec §A.6: frame_rate_num and frame_rate_den. */
  public static final int MAX_FRAME_RATE_TERM = 1 << 20;

  /** Spec §A.6: frame_header_size. */
  public static final int MAX_FRAME_HEADER_SIZE = 1 << 16;

  /** Spec §A.6: index_size. */
  public static final int MAX_INDEX_SIZE = 1 << 28;
}
