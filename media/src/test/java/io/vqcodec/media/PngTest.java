package io.vqcodec.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Png: lossless, RGB and gray, any size; the caller's stream stays open. */
class PngTest {
  static BufferedImage noise(int w, int h, int type, long seed) {
    BufferedImage img = new BufferedImage(w, h, type);
    SplittableRandom r = new SplittableRandom(seed);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = r.nextInt(1 << 24);
        // smooth and noisy areas, so that every filter and the compressor have work
        if (x < w / 2) v = ((x * 255 / w) << 16) | ((y * 255 / h) << 8) | ((x + y) & 255);
        img.setRGB(x, y, v);
      }
    }
    return img;
  }

  static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Png.write(img, out);
    out.write(42); // still open
    byte[] b = out.toByteArray();
    assertThat(b[b.length - 1]).isEqualTo((byte) 42);
    return java.util.Arrays.copyOf(b, b.length - 1);
  }

  @Test
  void rgbRoundTripsExactly() throws IOException {
    for (int[] size : new int[][] {{1, 1}, {3, 5}, {451, 300}}) {
      BufferedImage img = noise(size[0], size[1], BufferedImage.TYPE_INT_RGB, size[0]);
      BufferedImage back = ImageIO.read(new ByteArrayInputStream(png(img)));
      assertThat(back.getWidth()).isEqualTo(size[0]);
      assertThat(back.getHeight()).isEqualTo(size[1]);
      assertThat(back.getColorModel().getNumComponents()).isEqualTo(3);
      for (int y = 0; y < size[1]; y++) {
        for (int x = 0; x < size[0]; x++) {
          assertThat(back.getRGB(x, y)).isEqualTo(img.getRGB(x, y));
        }
      }
    }
  }

  @Test
  void grayStaysGray() throws IOException {
    BufferedImage img = noise(97, 31, BufferedImage.TYPE_BYTE_GRAY, 7);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(png(img)));
    assertThat(back.getColorModel().getNumComponents()).isEqualTo(1);
    int[] a = img.getRaster().getPixels(0, 0, 97, 31, (int[]) null);
    int[] b = back.getRaster().getPixels(0, 0, 97, 31, (int[]) null);
    assertThat(b).isEqualTo(a);
  }
}
