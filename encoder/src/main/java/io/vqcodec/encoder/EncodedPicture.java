package io.vqcodec.encoder;

/**
 * A coded picture: the .vqc bytes and the choices the encoder made.
 *
 * @param bytes the complete .vqc file
 * @param width picture width in pixels
 * @param height picture height in pixels
 * @param codebookSize K of the stream
 * @param fineCells cells coded with fine tokens
 * @param cells all cells (of the coded picture)
 * @param resolutionShift the picture was coded at 1/2^shift of its size (Spec §9.6.1); 0 = full
 *     size
 * @param targetMet false when a rate target was below the smallest stream the encoder can make (the
 *     smallest stream is returned); true otherwise
 * @param stageTokens residual-stage tokens coded beyond the fine tokens (Spec §9.6.2), 4 per stage
 *     of a cell
 */
public record EncodedPicture(
    byte[] bytes,
    int width,
    int height,
    int codebookSize,
    int fineCells,
    int cells,
    int resolutionShift,
    boolean targetMet,
    int stageTokens) {

  /** Bits per pixel of the whole file. */
  public double bpp() {
    return 8.0 * bytes.length / ((double) width * height);
  }
}
