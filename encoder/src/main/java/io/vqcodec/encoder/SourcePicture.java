package io.vqcodec.encoder;

import io.vqcodec.container.Limits;
import io.vqcodec.neural.ImageScaling;
import io.vqcodec.neural.RgbRegion;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * An input image checked against what the format can carry (Spec §3.2, §A.1) and brought to 8-bit
 * RGB: any ImageIO image type is converted (16-bit, indexed, CMYK through its colour model); gray
 * stays marked gray so the stream says so; transparency is refused rather than silently dropped.
 *
 * <p>Memory: 8-bit RGB inputs ({@code TYPE_INT_RGB}, {@code TYPE_3BYTE_BGR} and other interleaved
 * sRGB bytes, what the PNG and JPEG readers give) are read in place; any other type is converted
 * once, in bands, into a copy of 3 bytes per pixel (1 for gray). Reduced pictures (Spec §9.6.1) are
 * computed from the input whenever they are read and hold no pixels. The networks and the encoder's
 * analysis read the picture one tile at a time ({@link RgbRegion}).
 */
final class SourcePicture implements RgbRegion {
  final boolean gray;

  /** Size of the coded picture. */
  final int width;

  final int height;

  /** Spec §9.6.1: 0, or the shift of a downscaled picture. */
  final int resolutionShift;

  /** The input this picture was made from (itself at shift 0): its size goes in the header. */
  final SourcePicture original;

  /** The pixels: the input, its 8-bit copy, or a downscaled view of the original's. */
  private final RgbRegion pixels;

  /** Bytes per pixel of the input held besides the input image itself: 0, 1 (gray) or 3. */
  final int copyBytesPerPixel;

  private SourcePicture(
      RgbRegion pixels,
      int copyBytesPerPixel,
      boolean gray,
      int resolutionShift,
      SourcePicture original) {
    this.pixels = pixels;
    this.copyBytesPerPixel = copyBytesPerPixel;
    this.gray = gray;
    this.width = pixels.width();
    this.height = pixels.height();
    this.resolutionShift = resolutionShift;
    this.original = original == null ? this : original;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public void read(int x, int y, int w, int h, int[] out) {
    pixels.read(x, y, w, h, out);
  }

  /** This input downscaled by 2^shift (Spec §9.6.1), or itself for shift 0. */
  SourcePicture reduced(int shift) {
    if (shift == 0) return original;
    return new SourcePicture(
        ImageScaling.downscaled(original.pixels, shift), 0, gray, shift, original);
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
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return new SourcePicture(RgbRegion.of(image), 0, gray, 0, null);
    }
    if (rgbBytes(image)) return new SourcePicture(new RgbSamples(image), 0, gray, 0, null);
    Packed copy = Packed.of(image, gray);
    return new SourcePicture(copy, copy.bytesPerPixel, gray, 0, null);
  }

  /**
   * Whether {@code image} is interleaved 8-bit sRGB without alpha, whose raster samples are what
   * drawing it onto {@code TYPE_INT_RGB} gives (R, G, B in the colour model's order).
   */
  private static boolean rgbBytes(BufferedImage image) {
    return image.getColorModel() instanceof ComponentColorModel cm
        && cm.getColorSpace().isCS_sRGB()
        && !cm.hasAlpha()
        && cm.getNumComponents() == 3
        && cm.getTransferType() == DataBuffer.TYPE_BYTE
        && image.getRaster().getNumBands() == 3
        && image.getSampleModel() instanceof ComponentSampleModel;
  }

  /** An 8-bit RGB image read through its raster's samples. */
  private static final class RgbSamples implements RgbRegion {
    private final Raster raster;
    private int[] samples = new int[0];

    RgbSamples(BufferedImage image) {
      this.raster = image.getRaster();
    }

    @Override
    public int width() {
      return raster.getWidth();
    }

    @Override
    public int height() {
      return raster.getHeight();
    }

    @Override
    public synchronized void read(int x, int y, int w, int h, int[] out) {
      if (samples.length < 3 * w) samples = new int[3 * w];
      for (int j = 0; j < h; j++) {
        raster.getPixels(x, y + j, w, 1, samples);
        for (int i = 0, o = j * w; i < w; i++) {
          out[o + i] = samples[3 * i] << 16 | samples[3 * i + 1] << 8 | samples[3 * i + 2];
        }
      }
    }
  }

  /**
   * Any other image, converted to 8-bit RGB as drawing it onto {@code TYPE_INT_RGB} does, and kept
   * in 3 bytes per pixel, or 1 where every converted pixel is gray (R = G = B).
   */
  private static final class Packed implements RgbRegion {
    private final int width, height, bytesPerPixel;
    private final byte[] samples; // raster order

    private Packed(int width, int height, int bytesPerPixel, byte[] samples) {
      this.width = width;
      this.height = height;
      this.bytesPerPixel = bytesPerPixel;
      this.samples = samples;
    }

    /**
     * Converted a band of rows at a time (about 4 MB of ints), so no full-size int copy exists; a
     * gray image is tried in 1 byte per pixel first.
     */
    static Packed of(BufferedImage image, boolean gray) {
      if (gray) {
        Packed p = convert(image, 1);
        if (p != null) return p;
      }
      return convert(image, 3);
    }

    /** Null if {@code bytesPerPixel} is 1 and a pixel is not gray. */
    private static Packed convert(BufferedImage image, int bytesPerPixel) {
      int w = image.getWidth(), h = image.getHeight();
      byte[] out = new byte[bytesPerPixel * w * h];
      int rows = Math.max(1, Math.min(h, (1 << 20) / w));
      BufferedImage band = new BufferedImage(w, rows, BufferedImage.TYPE_INT_RGB);
      int[] data = ((DataBufferInt) band.getRaster().getDataBuffer()).getData();
      for (int y0 = 0; y0 < h; y0 += rows) {
        int n = Math.min(rows, h - y0);
        Arrays.fill(data, 0); // the black a fresh TYPE_INT_RGB image starts as
        Graphics2D g = band.createGraphics();
        try {
          g.drawImage(image.getSubimage(0, y0, w, n), 0, 0, null);
        } finally {
          g.dispose();
        }
        int o = bytesPerPixel * y0 * w;
        for (int i = 0; i < n * w; i++) {
          int p = data[i];
          if (bytesPerPixel == 1) {
            if (((p >> 16) & 255) != (p & 255) || ((p >> 8) & 255) != (p & 255)) return null;
            out[o++] = (byte) p;
          } else {
            out[o++] = (byte) (p >> 16);
            out[o++] = (byte) (p >> 8);
            out[o++] = (byte) p;
          }
        }
      }
      return new Packed(w, h, bytesPerPixel, out);
    }

    @Override
    public int width() {
      return width;
    }

    @Override
    public int height() {
      return height;
    }

    @Override
    public void read(int x, int y, int w, int h, int[] out) {
      for (int j = 0; j < h; j++) {
        int s = bytesPerPixel * ((y + j) * width + x), o = j * w;
        if (bytesPerPixel == 1) {
          for (int i = 0; i < w; i++) out[o + i] = (samples[s + i] & 255) * 0x010101;
        } else {
          for (int i = 0; i < w; i++, s += 3) {
            out[o + i] =
                (samples[s] & 255) << 16 | (samples[s + 1] & 255) << 8 | (samples[s + 2] & 255);
          }
        }
      }
    }
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
