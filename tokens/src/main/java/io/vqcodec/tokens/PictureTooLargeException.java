package io.vqcodec.tokens;

import java.io.IOException;

/**
 * A picture larger than the limit its reader set (below the format's own limits of Spec §A.1, which
 * the container reader enforces): refused from the header, before anything is allocated for it.
 */
public final class PictureTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;
  private final long pixels;
  private final long limit;

  PictureTooLargeException(int width, int height, long limit) {
    super(
        "picture "
            + width
            + "x"
            + height
            + " has "
            + (long) width * height
            + " pixels, more than the limit of "
            + limit);
    this.pixels = (long) width * height;
    this.limit = limit;
  }

  /** Throws if {@code width x height} exceeds {@code maxPixels}. */
  static void check(int width, int height, long maxPixels) throws PictureTooLargeException {
    if (maxPixels < 1)
      throw new IllegalArgumentException("pixel limit " + maxPixels + ": must be positive");
    if ((long) width * height > maxPixels)
      throw new PictureTooLargeException(width, height, maxPixels);
  }

  /** Pixels of the refused picture. */
  public long pixels() {
    return pixels;
  }

  /** The limit it exceeded. */
  public long limit() {
    return limit;
  }
}
