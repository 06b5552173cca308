package io.vqcodec.media;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;

/** 0xRRGGBB int arrays to and from {@code BufferedImage} TYPE_INT_RGB, the codebase's picture. */
final class Rgb {
  private Rgb() {}

  /** A new TYPE_INT_RGB picture; {@link #pixels} is its backing array. */
  static BufferedImage newImage(int w, int h) {
    return new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
  }

  /** The backing array of a picture made by {@link #newImage}: writes show in the picture. */
  static int[] pixels(BufferedImage img) {
    return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
  }

  /** Copies the RGB of {@code img} (any type; alpha dropped) into {@code out}, w*h ints. */
  static void read(BufferedImage img, int[] out) {
    int w = img.getWidth(), h = img.getHeight();
    if (img.getType() == BufferedImage.TYPE_INT_RGB
        && img.getRaster().getDataBuffer() instanceof DataBufferInt db
        && img.getSampleModel() instanceof SinglePixelPackedSampleModel sm
        && sm.getScanlineStride() == w
        && img.getRaster().getSampleModelTranslateX() == 0
        && img.getRaster().getSampleModelTranslateY() == 0
        && db.getOffset() == 0
        && db.getData().length == w * h) {
      // getRGB goes pixel by pixel through the colour model: several ms per HD frame.
      System.arraycopy(db.getData(), 0, out, 0, w * h);
      return;
    }
    WritableRaster r = img.getRaster();
    if (r.getNumBands() <= 2
        && img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      // Gray samples as they are: getRGB would treat them as linear light and brighten them.
      int max = (1 << img.getColorModel().getComponentSize(0)) - 1;
      int[] v = r.getSamples(0, 0, w, h, 0, (int[]) null);
      for (int i = 0; i < w * h; i++) {
        int g = (v[i] * 255 + max / 2) / max;
        out[i] = g << 16 | g << 8 | g;
      }
      return;
    }
    img.getRGB(0, 0, w, h, out, 0, w);
    for (int i = 0; i < w * h; i++) out[i] &= 0xFFFFFF;
  }
}
