package io.vqcodec.container;

/**
 * picture_header() of Spec §3.
 *
 * @param width pixels, 1..{@value Limits#MAX_WIDTH}
 * @param height pixels, 1..{@value Limits#MAX_HEIGHT}; width * height at most {@link
 *     Limits#MAX_PIXELS}
 * @param channelFormat gray or RGB
 * @param bitDepth bits per sample; 8 in v0
 * @param frameCount 1 in v0 (reserved for video)
 * @param frameRateNum 0 in v0 (reserved for video)
 * @param frameRateDen 0 in v0 (reserved for video)
 */
public record PictureHeader(
    int width,
    int height,
    ChannelFormat channelFormat,
    int bitDepth,
    int frameCount,
    int frameRateNum,
    int frameRateDen) {

  /**
   * @throws IllegalArgumentException if a field is outside what Spec §3.2 and §A.1 allow
   */
  public PictureHeader {
    if (width < 1 || width > Limits.MAX_WIDTH || height < 1 || height > Limits.MAX_HEIGHT) {
      throw new IllegalArgumentException(
          "picture " + width + "x" + height + ": each side must be 1.." + Limits.MAX_WIDTH);
    }
    if ((long) width * height > Limits.MAX_PIXELS) {
      throw new IllegalArgumentException(
          "picture " + width + "x" + height + " has more than " + Limits.MAX_PIXELS + " pixels");
    }
    if (channelFormat == null) throw new IllegalArgumentException("channelFormat is null");
    if (bitDepth != 8) throw new IllegalArgumentException("bit depth " + bitDepth + ": must be 8");
    if (frameCount != 1 || frameRateNum != 0 || frameRateDen != 0) {
      throw new IllegalArgumentException(
          "frame count "
              + frameCount
              + ", rate "
              + frameRateNum
              + "/"
              + frameRateDen
              + ": v0 requires 1 frame and rate 0/0 (reserved for video)");
    }
  }

  /** A still 8-bit picture. */
  public static PictureHeader still(int width, int height, ChannelFormat channelFormat) {
    return new PictureHeader(width, height, channelFormat, 8, 1, 0, 0);
  }
}
