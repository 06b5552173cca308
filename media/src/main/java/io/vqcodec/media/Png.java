package io.vqcodec.media;

import ar.com.hjg.pngj.FilterType;
import ar.com.hjg.pngj.ImageInfo;
import ar.com.hjg.pngj.ImageLineByte;
import ar.com.hjg.pngj.PngWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes decoded pictures and frames as PNG (8-bit RGB, or 8-bit gray for a gray picture), the one
 * PNG writer of the CLI's picture decode and of PNG-folder video output. PNGJ, row by row, with its
 * fast adaptive filter choice and zlib level {@link #ZLIB_LEVEL}: on a decoded 4032x2688 picture it
 * writes a file 42% smaller in about half the time of the JDK's ImageIO writer
 * (results/speed/png-output.md).
 */
public final class Png {
  /**
   * zlib level: on a decoded 4032x2688 picture level 2 took 0.33-0.42 s for 6.6 MB, level 3
   * 0.55-0.61 s for 6.3 MB, level 1 0.33-0.38 s for 7.0 MB; the JDK's writer 0.70-0.78 s for 11.5
   * MB (results/speed/png-output.md).
   */
  static final int ZLIB_LEVEL = 2;

  private Png() {}

  /**
   * Writes {@code image} to {@code out} (not closed). Gray images ({@link
   * BufferedImage#TYPE_BYTE_GRAY}) are written as gray, all others as 8-bit RGB (alpha dropped).
   */
  public static void write(BufferedImage image, OutputStream out) throws IOException {
    int w = image.getWidth(), h = image.getHeight();
    boolean gray = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
    ImageInfo info = new ImageInfo(w, h, 8, false, gray, false);
    PngWriter png = new PngWriter(out, info);
    try {
      png.setShouldCloseStream(false);
      png.setFilterType(FilterType.FILTER_ADAPTIVE_FAST);
      png.setCompLevel(ZLIB_LEVEL);
      ImageLineByte line = new ImageLineByte(info);
      byte[] row = line.getScanline();
      int[] rgb = gray ? null : new int[w];
      for (int y = 0; y < h; y++) {
        if (gray) {
          image.getRaster().getDataElements(0, y, w, 1, row);
        } else {
          image.getRGB(0, y, w, 1, rgb, 0, w);
          for (int x = 0, i = 0; x < w; x++) {
            int p = rgb[x];
            row[i++] = (byte) (p >> 16);
            row[i++] = (byte) (p >> 8);
            row[i++] = (byte) p;
          }
        }
        png.writeRow(line);
      }
      png.end();
    } catch (ar.com.hjg.pngj.PngjOutputException e) {
      // PNGJ wraps the stream's IOException: give the caller the one it knows how to report.
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
    } finally {
      png.close();
    }
  }
}
