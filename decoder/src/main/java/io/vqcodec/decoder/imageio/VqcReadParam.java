package io.vqcodec.decoder.imageio;

import io.vqcodec.container.Limits;
import javax.imageio.ImageReadParam;

/**
 * Read parameters of the .vqc ImageIO reader: the largest picture to decode. A larger one is
 * refused from its header (an {@code IIOException}) before any decoding.
 *
 * <pre>{@code
 * ImageReader r = ImageIO.getImageReadersBySuffix("vqc").next();
 * VqcReadParam p = (VqcReadParam) r.getDefaultReadParam();
 * p.setMaxPixels(16_000_000);
 * r.setInput(ImageIO.createImageInputStream(file));
 * BufferedImage img = r.read(0, p);
 * }</pre>
 */
public final class VqcReadParam extends ImageReadParam {
  /** System property that sets the default pixel limit of every reader. */
  public static final String MAX_PIXELS_PROPERTY = "vqcodec.maxPixels";

  private long maxPixels = defaultMaxPixels();

  /** Pictures with more pixels are refused; default {@link #defaultMaxPixels()}. */
  public void setMaxPixels(long maxPixels) {
    if (maxPixels < 1)
      throw new IllegalArgumentException("maxPixels " + maxPixels + ": must be positive");
    this.maxPixels = maxPixels;
  }

  public long getMaxPixels() {
    return maxPixels;
  }

  /**
   * The system property {@value #MAX_PIXELS_PROPERTY} if set and valid, else {@link
   * Limits#MAX_PIXELS}.
   */
  public static long defaultMaxPixels() {
    String p = System.getProperty(MAX_PIXELS_PROPERTY);
    if (p != null) {
      try {
        long v = Long.parseLong(p.trim());
        if (v > 0) return v;
      } catch (NumberFormatException e) {
        // ignored: the format's limit applies
      }
    }
    return Limits.MAX_PIXELS;
  }
}
