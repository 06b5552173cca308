package io.vqcodec.decoder.conceal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.neural.CodeHints;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GrayCellsTest {
  static Tokenizer tok;

  @BeforeAll
  static void load() throws IOException {
    tok = Tokenizer.loadDefault();
  }

  @AfterAll
  static void close() {
    tok.close();
  }

  /** 3 x 2 cells, 40 x 24 pixels (the right column and bottom row of cells are cut). */
  static TokenGrid grid() {
    TokenGrid g = new TokenGrid(40, 24, 256);
    g.setFine(0, 0, true);
    g.setFine(2, 1, true);
    return g;
  }

  static BufferedImage white(TokenGrid g) {
    BufferedImage img = new BufferedImage(g.width(), g.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < g.height(); y++) {
      for (int x = 0; x < g.width(); x++) img.setRGB(x, y, 0xFFFFFF);
    }
    return img;
  }

  static boolean gray(BufferedImage img, int x, int y) {
    return (img.getRGB(x, y) & 0xFFFFFF) == GrayCells.GRAY;
  }

  @Test
  void paintsLostBlocksOfFineCellsAndWholeLostCoarseCells() {
    TokenGrid g = grid();
    g.setFineToken(1, 0, TokenGrid.LOST); // cell (0, 0), top-right 8 x 8 block
    g.setCoarseToken(1, 1, TokenGrid.LOST); // pixels 16..31 x 16..23 (cut at the bottom)
    g.setFineToken(5, 2, TokenGrid.LOST); // cell (2, 1), top-right block: pixels 40.. are outside
    g.setFineToken(4, 2, TokenGrid.LOST); // cell (2, 1), top-left block: pixels 32..39 x 16..23
    BufferedImage img = white(g);
    Concealer.grayCells().paint(img, g);
    int painted = 0;
    for (int y = 0; y < g.height(); y++) {
      for (int x = 0; x < g.width(); x++) {
        boolean expected =
            (x >= 8 && x < 16 && y < 8) || (x >= 16 && x < 32 && y >= 16) || (x >= 32 && y >= 16);
        assertThat(gray(img, x, y)).as("pixel (%d, %d)", x, y).isEqualTo(expected);
        if (expected) painted++;
      }
    }
    assertThat(painted).isEqualTo(64 + 128 + 64);
  }

  @Test
  void paintsNothingWhenNothingIsLost() {
    TokenGrid g = grid();
    BufferedImage img = white(g);
    Concealer.grayCells().paint(img, g);
    assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    assertThat(img.getRGB(39, 23) & 0xFFFFFF).isEqualTo(0xFFFFFF);
  }

  /** Known cells next to lost ones see the neighbour mean, as with NEIGHBOURS. */
  @Test
  void codesAreTheNeighbourMean() throws IOException {
    TokenGrid g = grid();
    g.setFineToken(1, 0, TokenGrid.LOST);
    g.setCoarseToken(1, 1, TokenGrid.LOST);
    CodeHints gray = Concealer.grayCells().codes(g, tok),
        mean = Concealer.neighbourMean().codes(g, tok);
    assertThat(gray.count()).isEqualTo(2);
    assertThat(gray.fineCode(1, 0)).containsExactly(mean.fineCode(1, 0));
    assertThat(gray.coarseCode(1, 1)).containsExactly(mean.coarseCode(1, 1));
  }
}
