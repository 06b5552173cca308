package io.vqcodec.decoder.conceal;

import io.vqcodec.neural.CodeHints;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;

/**
 * No concealment to see: every 16 x 16 cell (or 8 x 8 block of a fine cell) whose token was lost is
 * painted mid-gray after synthesis. The network still needs a code at every position, and the
 * pixels of known cells next to lost ones depend on it (its receptive field spans several cells):
 * lost tokens get the {@link NeighbourMean}, so that known cells look as they do with it.
 */
final class GrayCells implements Concealer {
  static final GrayCells INSTANCE = new GrayCells();

  static final int GRAY = 0x808080;

  private GrayCells() {}

  @Override
  public CodeHints codes(TokenGrid grid, Tokenizer tokenizer) {
    return NeighbourMean.INSTANCE.codes(grid, tokenizer);
  }

  /** Mid-gray over each lost 8 x 8 block of a fine cell and each coarse cell with a lost token. */
  @Override
  public void paint(BufferedImage pixels, TokenGrid grid) {
    for (int cy = 0; cy < grid.cellsHigh(); cy++) {
      for (int cx = 0; cx < grid.cellsWide(); cx++) {
        boolean fine = grid.isFine(cx, cy);
        if (!fine && grid.coarseToken(cx, cy) != TokenGrid.LOST) continue;
        for (int q = 0; q < 4; q++) {
          if (fine && grid.fineToken(2 * cx + (q & 1), 2 * cy + (q >> 1)) != TokenGrid.LOST)
            continue;
          int x0 = 16 * cx + 8 * (q & 1), y0 = 16 * cy + 8 * (q >> 1);
          for (int y = y0; y < Math.min(y0 + 8, pixels.getHeight()); y++) {
            for (int x = x0; x < Math.min(x0 + 8, pixels.getWidth()); x++)
              pixels.setRGB(x, y, GRAY);
          }
        }
      }
    }
  }
}
