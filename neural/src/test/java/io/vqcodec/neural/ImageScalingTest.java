package io.vqcodec.neural;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
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
}
