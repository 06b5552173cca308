package io.vqcodec.container;

/**
 * picture_header() of Spec §3.
 *
 * @param width pixels, 1..{@value Limits#MAX_WIDTH}
 * @param height pixels, 1..{@value Limits#MAX_HEIGHT}; width * height at most {@link
 *     Limits#MAX_PIXELS}
 * @param channelFormat gray or RGB
 * @param bitDepth bits per sample; 8 in v0
 * @param frameCount 1 for a picture; for a video (Spec §10.2) the frame count, 0 if not known
 * @param frameRateNum 0 for a picture; for a video the frame rate's numerator
 * @param frameRateDen 0 for a picture; for a video the frame rate's denominator
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
    boolean still = frameCount == 1 && frameRateNum == 0 && frameRateDen == 0;
    boolean video =
        frameCount >= 0
            && frameCount <= Limits.MAX_FRAMES
            && frameRateNum >= 1
            && frameRateNum <= Limits.MAX_FRAME_RATE_TERM
            && frameRateDen >= 1
            && frameRateDen <= Limits.MAX_FRAME_RATE_TERM;
    if (!still && !video) {
      throw new IllegalArgumentException(
          "frame count "
              + frameCount
              + ", rate "
              + frameRateNum
              + "/"
              + frameRateDen
              + ": a picture has 1 frame and rate 0/0 (Spec §3.2), a video 0.."
              + Limits.MAX_FRAMES
              + " frames and both rate terms in 1.."
              + Limits.MAX_FRAME_RATE_TERM
              + " (Spec §10.2)");
    }
  }

  /** Whether this is the header of a video (profile 1, Spec §10.2). */
  public boolean isVideo() {
    return frameRateNum > 0;
  }

  /**
   * An 8-bit video of {@code frameCount} frames (0: not known when the header is written) at {@code
   * rateNum / rateDen} frames per second (Spec §10.2).
   */
  public static PictureHeader video(
      int width,
      int height,
      ChannelFormat channelFormat,
      int frameCount,
      int rateNum,
      int rateDen) {
    return new PictureHeader(width, height, channelFormat, 8, frameCount, rateNum, rateDen);
  }

  /** A still 8-bit picture. */
  public static PictureHeader still(int width, int height, ChannelFormat channelFormat) {
    return new PictureHeader(width, height, channelFormat, 8, 1, 0, 0);
  }
}
