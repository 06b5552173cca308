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
    return 64 + (32 + 16 * (stageCount - 1)) * cells;
  }

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
