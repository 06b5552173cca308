package io.vqcodec.container;

/**
 * token_grid_params() of Spec §6.2.
 *
 * @param codebookSize K, one of 4096, 1024, 256, 64, 16 (coded as codebook_level = log4 K)
 * @param granularityMode whether granularity flags are coded
 * @param probabilityModel the model driving each symbol (Spec §8)
 */
public record TokenGridParams(
    int codebookSize, GranularityMode granularityMode, ProbabilityModel probabilityModel) {

  public TokenGridParams {
    if (codebookLevelOf(codebookSize) < 0) {
      throw new IllegalArgumentException(
          "codebook size " + codebookSize + ": must be 4096, 1024, 256, 64 or 16");
    }
    if (granularityMode == null || probabilityModel == null) {
      throw new IllegalArgumentException("null granularity mode or probability model");
    }
  }

  /** Mixed granularity, adaptive order-0 models. */
  public static TokenGridParams of(int codebookSize) {
    return new TokenGridParams(
        codebookSize, GranularityMode.MIXED, ProbabilityModel.ADAPTIVE_ORDER0);
  }

  /** codebook_level, log4 of the codebook size (2..6), or -1 for a size v0 does not allow. */
  static int codebookLevelOf(int codebookSize) {
    for (int level = HeaderSyntax.MIN_CODEBOOK_LEVEL;
        level <= HeaderSyntax.MAX_CODEBOOK_LEVEL;
        level++) {
      if (codebookSize == 1 << (2 * level)) return level;
    }
    return -1;
  }
}
