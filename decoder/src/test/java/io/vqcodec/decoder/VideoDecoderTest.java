package io.vqcodec.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The decoder's choice of pixels for still cells (VideoDecoder.holdStillCells). */
class VideoDecoderTest {
  private static final int RED = 0xFF0000, BLUE = 0x0000FF;

  private static BufferedImage filled(int w, int h, int rgb) {
    BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) b.setRGB(x, y, rgb);
    return b;
  }

  /**
   * One cell changed: every cell within HOLD_RADIUS of it keeps the new synthesis, every other cell
   * the pixels shown before, the partial cells at the right and bottom edges included.
   */
  @Test
  void cellsFarFromAChangeKeepThePixelsShownBefore() {
    TokenGrid before = new TokenGrid(130, 100, 16); // 9 x 7 cells, the last ones partial
    TokenGrid now = before.copy();
    now.setCoarseToken(1, 1, 5);
    BufferedImage previous = filled(130, 100, RED), image = filled(130, 100, BLUE);
    VideoDecoder.holdStillCells(image, previous, now, before, TokenGrid.CELL);
    for (int cy = 0; cy < 7; cy++) {
      for (int cx = 0; cx < 9; cx++) {
        boolean near =
            Math.abs(cx - 1) <= VideoDecoder.HOLD_RADIUS
                && Math.abs(cy - 1) <= VideoDecoder.HOLD_RADIUS;
        int x = Math.min(129, cx * 16 + 15), y = Math.min(99, cy * 16 + 15);
        assertThat(image.getRGB(x, y) & 0xFFFFFF)
            .as("cell (%d, %d)", cx, cy)
            .isEqualTo(near ? BLUE : RED);
        assertThat(image.getRGB(cx * 16, cy * 16) & 0xFFFFFF).isEqualTo(near ? BLUE : RED);
      }
    }
  }

  /** A granularity change is a change; so is a different picture size (nothing is held). */
  @Test
  void aGranularityChangeIsAChangeAndOtherSizesHoldNothing() {
    TokenGrid before = new TokenGrid(128, 96, 16);
    TokenGrid now = before.copy();
    now.setFine(7, 5, true);
    BufferedImage image = filled(128, 96, BLUE);
    VideoDecoder.holdStillCells(image, filled(128, 96, RED), now, before, TokenGrid.CELL);
    assertThat(image.getRGB(127, 95) & 0xFFFFFF).isEqualTo(BLUE);
    assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(RED);
    BufferedImage other = filled(128, 96, BLUE);
    VideoDecoder.holdStillCells(other, filled(64, 96, RED), before, before, TokenGrid.CELL);
    assertThat(other.getRGB(0, 0) & 0xFFFFFF).isEqualTo(BLUE);
  }
}
