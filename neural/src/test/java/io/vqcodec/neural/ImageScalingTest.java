package io.vqcodec.neural;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageScalingTest {
  @Test
  void downscaleAveragesEachSquareAndReplicatesEdges() {
    BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) img.setRGB(x, y, (10 * x) << 16 | (20 * y) << 8 | 7);
    }
    BufferedImage half = ImageScaling.downscale(img, 1);
    assertThat(half.getWidth()).isEqualTo(3);
    assertThat(half.getHeight()).isEqualTo(2);
    // (0..1, 0..1): red mean of 0,10,0,10 = 5; green mean of 0,0,20,20 = 10.
    assertThat(half.getRGB(0, 0) & 0xFFFFFF).isEqualTo(5 << 16 | 10 << 8 | 7);
    // Right edge: column 4 replicated, red 40; bottom edge: row 2 replicated, green 40.
    assertThat(half.getRGB(2, 1) & 0xFFFFFF).isEqualTo(40 << 16 | 40 << 8 | 7);
  }

  @Test
  void upscaleKeepsFlatPicturesFlatAndRestoresSmoothOnesClosely() {
    int w = 67, h = 45;
    BufferedImage ramp = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) ramp.setRGB(x, y, (2 * x) << 16 | (3 * y) << 8 | 128);
    }
    for (int shift = 1; shift <= 2; shift++) {
      BufferedImage coded = ImageScaling.downscale(ramp, shift);
      BufferedImage back = ImageScaling.upscale(coded, shift, w, h);
      assertThat(back.getWidth()).isEqualTo(w);
      assertThat(back.getHeight()).isEqualTo(h);
      int worst = 0;
      // A linear ramp survives away from the replicated edges, up to rounding.
      for (int y = 4; y < h - 8; y++) {
        for (int x = 4; x < w - 8; x++) {
          int a = ramp.getRGB(x, y), b = back.getRGB(x, y);
          worst = Math.max(worst, Math.abs(((a >> 16) & 255) - ((b >> 16) & 255)));
          worst = Math.max(worst, Math.abs(((a >> 8) & 255) - ((b >> 8) & 255)));
          assertThat(b & 255).isEqualTo(128);
        }
      }
      assertThat(worst).as("shift %d", shift).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void upscaleRefusesSizesThatDoNotMatchTheShift() {
    BufferedImage coded = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
    assertThatThrownBy(() -> ImageScaling.upscale(coded, 1, 30, 20))
        .hasMessageContaining("not 30x20");
    assertThatThrownBy(() -> ImageScaling.downscale(coded, 3))
        .hasMessageContaining("resolution shift 3");
  }

  /** The view computes the pixels of {@link ImageScaling#downscale} from any rectangle. */
  @Test
  void downscaledViewGivesTheDownscaledPixels() {
    BufferedImage img = noise(37, 23, 5);
    for (int shift = 1; shift <= 2; shift++) {
      BufferedImage expected = ImageScaling.downscale(img, shift);
      RgbRegion view = ImageScaling.downscaled(RgbRegion.of(img), shift);
      int w = expected.getWidth(), h = expected.getHeight();
      assertThat(view.width()).isEqualTo(w);
      assertThat(view.height()).isEqualTo(h);
      int[] all = new int[w * h];
      view.read(0, 0, w, h, all);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          assertThat(all[y * w + x]).isEqualTo(expected.getRGB(x, y) & 0xFFFFFF);
        }
      }
      int[] part = new int[2 * 3];
      view.read(w - 2, h - 3, 2, 3, part);
      assertThat(part[5]).isEqualTo(expected.getRGB(w - 1, h - 1) & 0xFFFFFF);
    }
  }

  /**
   * The streaming upscaler (the encoder measures its rate-control error through it, coded rows in
   * as they are decoded) gives each output row once, in order, with the pixels of a plain
   * whole-picture reference: this project's upscale before it streamed.
   */
  @Test
  void streamingUpscaleEqualsTheWholePictureReference() {
    for (int shift = 1; shift <= 2; shift++) {
      int w = 53, h = 41;
      BufferedImage coded =
          noise((w + (1 << shift) - 1) >> shift, (h + (1 << shift) - 1) >> shift, 9);
      BufferedImage expected = referenceUpscale(coded, shift, w, h);
      List<Integer> order = new ArrayList<>();
      int[] got = new int[w * h];
      ImageScaling.Upscaler up =
          new ImageScaling.Upscaler(
              shift,
              coded.getWidth(),
              coded.getHeight(),
              w,
              h,
              (y, row) -> {
                order.add(y);
                System.arraycopy(row, 0, got, y * w, w);
              });
      int[] in = new int[coded.getWidth()];
      for (int r = 0; r < coded.getHeight(); r++) {
        coded.getRGB(0, r, in.length, 1, in, 0, in.length);
        up.push(in);
      }
      assertThat(order).hasSize(h);
      for (int y = 0; y < h; y++) assertThat(order.get(y)).isEqualTo(y);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          assertThat(got[y * w + x]).isEqualTo(expected.getRGB(x, y) & 0xFFFFFF);
        }
      }
      assertThat(Pixels.squaredError(ImageScaling.upscale(coded, shift, w, h), expected)).isZero();
    }
  }

  private static BufferedImage noise(int w, int h, long seed) {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) img.setRGB(x, y, r.nextInt(1 << 24));
    }
    return img;
  }

  /** Catmull-Rom upscaling of the whole picture at once, as the decoder did before it streamed. */
  private static BufferedImage referenceUpscale(
      BufferedImage coded, int shift, int width, int height) {
    int cw = coded.getWidth(), ch = coded.getHeight();
    int[][] ix = new int[width][4], iy = new int[height][4];
    float[][] wx = new float[width][4], wy = new float[height][4];
    taps(width, cw, shift, ix, wx);
    taps(height, ch, shift, iy, wy);
    float[][] rows = new float[ch][3 * width];
    for (int r = 0; r < ch; r++) {
      for (int x = 0; x < width; x++) {
        float red = 0, green = 0, blue = 0;
        for (int j = 0; j < 4; j++) {
          int p = coded.getRGB(ix[x][j], r);
          red += wx[x][j] * ((p >> 16) & 255);
          green += wx[x][j] * ((p >> 8) & 255);
          blue += wx[x][j] * (p & 255);
        }
        rows[r][3 * x] = red;
        rows[r][3 * x + 1] = green;
        rows[r][3 * x + 2] = blue;
      }
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          float v = 0;
          for (int k = 0; k < 4; k++) v += wy[y][k] * rows[iy[y][k]][3 * x + c];
          rgb = rgb << 8 | Math.max(0, Math.min(255, Math.round(v)));
        }
        out.setRGB(x, y, rgb);
      }
    }
    return out;
  }

  private static void taps(int out, int in, int shift, int[][] index, float[][] weight) {
    double scale = 1.0 / (1 << shift);
    for (int i = 0; i < out; i++) {
      double src = (i + 0.5) * scale - 0.5;
      int base = (int) Math.floor(src);
      double t = src - base;
      for (int k = 0; k < 4; k++) {
        index[i][k] = Math.max(0, Math.min(in - 1, base - 1 + k));
        double x = Math.abs(t - (k - 1));
        weight[i][k] =
            (float)
                (x < 1
                    ? 1.5 * x * x * x - 2.5 * x * x + 1
                    : x < 2 ? -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2 : 0);
      }
    }
  }
}
