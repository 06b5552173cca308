package io.vqcodec.encoder;

import io.vqcodec.container.Limits;
import io.vqcodec.neural.ImageScaling;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * An input image checked against what the format can carry (Spec §3.2, §A.1) and brought to 8-bit
 * RGB: any ImageIO image type is converted (16-bit, indexed, CMYK through its colour model); gray
 * stays marked gray so the stream says so; transparency is refused rather than silently dropped.
 */
final class SourcePicture {
  /** The picture to tokenize: the input, or the input downscaled by 2^resolutionShift. */
  final BufferedImage rgb;

  final boolean gray;

  /** Size of {@link #rgb} (the coded picture). */
  final int width;

  final int height;

  /** Spec §9.6.1: 0, or the shift of a downscaled picture. */
  final int resolutionShift;

  /** The input this picture was made from (itself at shift 0): its size goes in the header. */
  final SourcePicture original;

  private SourcePicture(
      BufferedImage rgb, boolean gray, int resolutionShift, SourcePicture original) {
    this.rgb = rgb;
    this.gray = gray;
    this.width = rgb.getWidth();
    this.height = rgb.getHeight();
    this.resolutionShift = resolutionShift;
    this.original = original == null ? this : original;
  }

  /** This input downscaled by 2^shift (Spec §9.6.1), or itself for shift 0. */
  SourcePicture reduced(int shift) {
    if (shift == 0) return original;
    return new SourcePicture(ImageScaling.downscale(original.rgb, shift), gray, shift, original);
  }

  /**
   * @throws IllegalArgumentException with a message for the user if the image cannot be coded
   */
  static SourcePicture of(BufferedImage image) {
    int w = image.getWidth(), h = image.getHeight();
    if (w > Limits.MAX_WIDTH || h > Limits.MAX_HEIGHT || (long) w * h > Limits.MAX_PIXELS) {
      throw new IllegalArgumentException(
          "image is "
              + w
              + "x"
              + h
              + ": the format allows at most "
              + Limits.MAX_WIDTH
              + " pixels per side and "
              + Limits.MAX_PIXELS
              + " pixels in all");
    }
    if (image.getColorModel().hasAlpha() && !opaque(image)) {
      throw new IllegalArgumentException(
          "image has transparent pixels: vqcodec codes RGB and gray "
              + "pictures without alpha; flatten it onto a background first");
    }
    boolean gray =
        image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
            && image.getColorModel().getNumColorComponents() == 1;
    BufferedImage rgb = image;
    if (image.getType() != BufferedImage.TYPE_INT_RGB) {
      rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = rgb.createGraphics();
      try {
        g.drawImage(image, 0, 0, null);
      } finally {
        g.dispose();
      }
    }
    return new SourcePicture(rgb, gray, 0, null);
  }

  private static boolean opaque(BufferedImage image) {
    if (image.getColorModel() instanceof IndexColorModel icm) {
      // A palette with transparent entries (PNG tRNS) has no alpha raster: look at the pixels'
      // entries.
      Raster r = image.getRaster();
      int[] row = new int[r.getWidth()];
      for (int y = 0; y < r.getHeight(); y++) {
        r.getSamples(0, y, r.getWidth(), 1, 0, row);
        for (int i : row) {
          if (icm.getAlpha(i) != 255) return false;
        }
      }
      return true;
    }
    Raster alpha = image.getAlphaRaster();
    if (alpha == null) return true;
    int max =
        (1 << image.getColorModel().getComponentSize(image.getColorModel().getNumComponents() - 1))
            - 1;
    int[] row = new int[alpha.getWidth()];
    for (int y = 0; y < alpha.getHeight(); y++) {
      alpha.getSamples(0, y, alpha.getWidth(), 1, 0, row);
      for (int a : row) {
        if (a != max) return false;
      }
    }
    return true;
  }
}
