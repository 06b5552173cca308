package io.vqcodec.decoder.conceal;

import io.vqcodec.neural.CodeHints;
import io.vqcodec.neural.TokenPredictor;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.TokenGrid;
import java.io.IOException;
import java.util.Optional;

/**
 * Concealment by the masked-token transformer ({@link TokenPredictor}, {@code mask-v1}, every
 * codebook level it knows, fine and coarse cells): each lost token gets the expected code vector
 * under the predicted distribution, in one pass. Measured on the validation images ({@code
 * models/mask-v1-MODEL_CARD.md}) it beat every hard-token choice and the neighbour mean. What the
 * transformer leaves (no predictor packaged, or a codebook level it does not know) gets the {@link
 * NeighbourMean}.
 */
final class MaskedTokenPrediction implements Concealer {
  /** Passes of the transformer: one, as chosen on the validation images. */
  static final int PASSES = 1;

  /** Null until the first grid with lost tokens; then the released predictor, or empty. */
  private Optional<TokenPredictor> predictor;

  private final boolean ownsPredictor;

  /** With the released predictor, loaded when first needed and closed by {@link #close}. */
  MaskedTokenPrediction() {
    this.ownsPredictor = true;
  }

  /** With {@code predictor} (empty: none), which the caller owns. */
  MaskedTokenPrediction(Optional<TokenPredictor> predictor) {
    this.predictor = predictor;
    this.ownsPredictor = false;
  }

  @Override
  public CodeHints codes(TokenGrid grid, Tokenizer tokenizer) throws IOException {
    CodeHints hints = null;
    if (hasLost(grid)) {
      Optional<TokenPredictor> p = predictor();
      if (p.isPresent()) hints = p.get().expectedCodes(grid, tokenizer, PASSES);
    }
    if (hints == null) {
      return NeighbourMean.INSTANCE.codes(grid, tokenizer);
    }
    NeighbourMean.complete(grid, tokenizer, hints);
    return hints;
  }

  private synchronized Optional<TokenPredictor> predictor() throws IOException {
    if (predictor == null) predictor = TokenPredictor.loadDefaultIfPresent();
    return predictor;
  }

  private static boolean hasLost(TokenGrid g) {
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        if (g.isFine(cx, cy)) {
          for (int q = 0; q < 4; q++) {
            if (g.fineToken(2 * cx + (q & 1), 2 * cy + (q >> 1)) == TokenGrid.LOST) return true;
          }
        } else if (g.coarseToken(cx, cy) == TokenGrid.LOST) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public synchronized void close() {
    if (ownsPredictor && predictor != null) predictor.ifPresent(TokenPredictor::close);
    predictor = null;
  }
}
