package io.vqcodec.neural;

import java.awt.image.BufferedImage;

/**
 * A picture read one rectangle at a time as {@code 0xRRGGBB} ints (bits above 24 undefined), so
 * that the networks can take a large picture tile by tile from wherever its pixels are kept (a
 * compact copy, a file, a picture computed on the fly) instead of from a full-resolution image.
 */
public interface RgbRegion {
  int width();

  int height();

  /**
   * The {@code w} x {@code h} pixels at ({@code x}, {@code y}) into {@code out[(j - y) * w + (i -
   * x)]}; the rectangle lies inside the picture.
   */
  void read(int x, int y, int w, int h, int[] out);

  /** The pixels of {@code image} as {@link BufferedImage#getRGB} gives them. */
  static RgbRegion of(BufferedImage image) {
    return new RgbRegion() {
      @Override
      public int width() {
        return image.getWidth();
      }

      @Override
      public int height() {
        return image.getHeight();
      }

      @Override
      public void read(int x, int y, int w, int h, int[] out) {
        image.getRGB(x, y, w, h, out, 0, w);
      }
    };
  }
}
