package io.vqcodec.decoder.conceal;

import io.vqcodec.neural.CodeHints;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * One way of concealing lost tokens ({@link TokenGrid#LOST}): a code vector for every lost token
 * before pixel synthesis ({@link Tokenizer#decode(TokenGrid, CodeHints)} takes them in place of
 * tokens), and optionally a change to the synthesised pixels.
 *
 * <pre>{@code
 * CodeHints codes = concealer.codes(grid, tokenizer);
 * BufferedImage pixels = tokenizer.decode(grid, codes);
 * concealer.paint(pixels, grid);
 * }</pre>
 *
 * <p>Neither method changes {@code grid}. Implementations are thread-safe.
 */
public interface Concealer extends AutoCloseable {
  /**
   * Code vectors for every lost token of {@code grid}, at {@code tokenizer}'s codebook level of the
   * grid; empty hints when no token is lost.
   *
   * @throws IOException if a model the strategy needs cannot be loaded
   */
  CodeHints codes(TokenGrid grid, Tokenizer tokenizer) throws IOException;

  /**
   * Changes the pixels synthesised from {@code grid} ({@code grid.width()} x {@code grid.height()},
   * before any resampling to the picture's size) in place. Nothing by default.
   */
  default void paint(BufferedImage pixels, TokenGrid grid) {}

  /** Releases the models the strategy loaded. */
  @Override
  default void close() {}

  /**
   * The masked-token transformer's expected codes ({@code mask-v1}, loaded on the first grid with
   * lost tokens), the neighbour mean for what it leaves.
   */
  static Concealer maskedTokenPrediction() {
    return new MaskedTokenPrediction();
  }

  /** The mean code of the known neighbouring tokens (no model). */
  static Concealer neighbourMean() {
    return NeighbourMean.INSTANCE;
  }

  /** No concealment to see: lost cells are painted mid-gray. */
  static Concealer grayCells() {
    return GrayCells.INSTANCE;
  }
}
