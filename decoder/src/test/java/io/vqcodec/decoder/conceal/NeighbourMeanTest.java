package io.vqcodec.decoder.conceal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vqcodec.neural.CodeHints;
import io.vqcodec.neural.Pixels;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NeighbourMeanTest {
  static Tokenizer tok;
  static float[] table;
  static int dim;

  @BeforeAll
  static void load() throws IOException {
    tok = Tokenizer.loadDefault();
    table = tok.codebookTable(1024);
    dim = tok.meanCode(1024).length;
  }

  @AfterAll
  static void close() {
    tok.close();
  }

  /**
   * 4 x 3 cells at K = 1024: fine cells in the left two columns, coarse in the right two; every
   * token is {@code 10 * cell + quarter} (coarse: {@code 10 * cell}).
   */
  static TokenGrid grid() {
    TokenGrid g = new TokenGrid(64, 48, 1024);
    for (int cy = 0; cy < 3; cy++) {
      for (int cx = 0; cx < 4; cx++) {
        int cell = cy * 4 + cx;
        g.setFine(cx, cy, cx < 2);
        if (cx < 2) {
          for (int q = 0; q < 4; q++)
            g.setFineToken(2 * cx + (q & 1), 2 * cy + (q >> 1), 10 * cell + q);
        } else {
          g.setCoarseToken(cx, cy, 10 * cell);
        }
      }
    }
    return g;
  }

  static float[] mean(int... tokens) {
    float[] m = new float[dim];
    for (int t : tokens) {
      for (int j = 0; j < dim; j++) m[j] += table[t * dim + j] / tokens.length;
    }
    return m;
  }

  static void assertCode(float[] actual, float[] expected) {
    for (int j = 0; j < dim; j++) assertThat(actual[j]).isCloseTo(expected[j], within(1e-5f));
  }

  @Test
  void aLostFineTokenTakesTheMeanOfItsCell() {
    TokenGrid g = grid();
    g.setFineToken(0, 0, TokenGrid.LOST);
    g.setFineToken(1, 1, TokenGrid.LOST);
    CodeHints h = NeighbourMean.INSTANCE.codes(g, tok);
    assertThat(h.count()).isEqualTo(2);
    assertCode(h.fineCode(0, 0), mean(1, 2));
    assertCode(h.fineCode(1, 1), mean(1, 2));
  }

  @Test
  void aWhollyLostFineCellTakesTheMeanOfTheNeighbouringFineCells() {
    TokenGrid g = grid();
    for (int q = 0; q < 4; q++) g.setFineToken(q & 1, 2 + (q >> 1), TokenGrid.LOST); // cell (0, 1)
    g.setFineToken(2, 0, TokenGrid.LOST); // cell (1, 0): one lost, so not counted as known
    CodeHints h = NeighbourMean.INSTANCE.codes(g, tok);
    // Known fine tokens of the fine neighbours (0,0), (1,0) less one, (1,1), (0,2), (1,2); the
    // coarse cells are not mixed in.
    float[] expected = mean(0, 1, 2, 3, 11, 12, 13, 50, 51, 52, 53, 80, 81, 82, 83, 90, 91, 92, 93);
    for (int q = 0; q < 4; q++) assertCode(h.fineCode(q & 1, 2 + (q >> 1)), expected);
  }

  @Test
  void aLostCoarseTokenTakesTheMeanOfTheNeighbouringCoarseCells() {
    TokenGrid g = grid();
    g.setCoarseToken(2, 1, TokenGrid.LOST);
    g.setCoarseToken(3, 2, TokenGrid.LOST);
    CodeHints h = NeighbourMean.INSTANCE.codes(g, tok);
    assertThat(h.count()).isEqualTo(2);
    assertCode(h.coarseCode(2, 1), mean(20, 30, 70, 100)); // (3,2) is lost: not a neighbour
    assertCode(h.coarseCode(3, 2), mean(70, 100)); // (2,1) was filled here: not a neighbour either
  }

  @Test
  void nothingKnownNearbyGivesTheLevelsMeanCode() {
    TokenGrid g = new TokenGrid(16, 16, 1024);
    g.setCoarseToken(0, 0, TokenGrid.LOST);
    assertThat(NeighbourMean.INSTANCE.codes(g, tok).coarseCode(0, 0))
        .containsExactly(tok.meanCode(1024));
  }

  @Test
  void codesAlreadyGivenCountAsKnownAndStay() {
    TokenGrid g = grid();
    g.setFineToken(0, 0, TokenGrid.LOST);
    g.setFineToken(1, 0, TokenGrid.LOST);
    CodeHints h = new CodeHints(4, 3, dim);
    float[] given = new float[dim];
    given[0] = 7;
    h.setFine(1, 0, given);
    NeighbourMean.complete(g, tok, h);
    assertThat(h.fineCode(1, 0)).containsExactly(given);
    float[] expected = mean(2, 3);
    for (int j = 0; j < dim; j++) expected[j] = (2 * expected[j] + given[j]) / 3;
    assertCode(h.fineCode(0, 0), expected);
  }

  @Test
  void nothingLostGivesNoCodes() {
    assertThat(NeighbourMean.INSTANCE.codes(grid(), tok).count()).isZero();
  }

  /** A real picture with lost fine and coarse tokens decodes to something close to the original. */
  @Test
  void concealsARealPicture() throws IOException {
    BufferedImage img = Pictures.chelseaCrop();
    TokenGrid g =
        tok.encode(
            img,
            4096,
            new boolean[] {
              true, false, true, false, true, true, false, false, true, true, true, false
            });
    g.setFineToken(0, 0, TokenGrid.LOST);
    g.setCoarseToken(1, 0, TokenGrid.LOST);
    for (int k = 0; k < 4; k++) g.setFineToken(4 + (k & 1), 2 + (k >> 1), TokenGrid.LOST);
    BufferedImage rec = tok.decode(g, NeighbourMean.INSTANCE.codes(g, tok));
    assertThat(rec.getWidth()).isEqualTo(64);
    assertThat(Pixels.psnr(img, rec)).isGreaterThan(12.0);
  }
}
