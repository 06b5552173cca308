package io.vqcodec.container;

import java.util.List;

/**
 * Everything of header() (Spec §2.3) except the slice directory, which travels with the {@link
 * Slice}s.
 *
 * @param extensions extension blocks, in stream order (Spec §9): ignorable ones, and the registered
 *     critical ones this implementation knows (the coded resolution of Spec §9.6.1, see {@link
 *     #codedResolution}; the residual stages of Spec §9.6.2; the compact frame headers of Spec
 *     §9.6.3; the pixel residual of Spec §9.6.4)
 */
public record ContainerHeader(
    PictureHeader picture, ModelId model, TokenGridParams grid, List<Extension> extensions) {

  public ContainerHeader {
    if (picture == null || model == null || grid == null) {
      throw new IllegalArgumentException("null picture header, model id or grid parameters");
    }
    extensions = List.copyOf(extensions);
    if (extensions.size() > Limits.MAX_EXTENSIONS) {
      throw new IllegalArgumentException(
          extensions.size() + " extension blocks: at most " + Limits.MAX_EXTENSIONS);
    }
    boolean seen = false, stages = false, compact = false, residual = false;
    for (Extension e : extensions) {
      if (e.type() == CodedResolution.TYPE) {
        String problem = CodedResolution.describeProblem(e.critical(), e.payloadNoCopy(), seen);
        if (problem != null) throw new IllegalArgumentException(problem);
        seen = true;
      } else if (e.type() == ResidualStages.TYPE) {
        String problem =
            ResidualStages.describeProblem(
                e.critical(), e.payloadNoCopy(), stages, picture.isVideo());
        if (problem != null) throw new IllegalArgumentException(problem);
        stages = true;
      } else if (e.type() == CompactFrameHeaders.TYPE) {
        String problem =
            CompactFrameHeaders.describeProblem(
                e.critical(), e.payloadNoCopy(), compact, picture.isVideo());
        if (problem != null) throw new IllegalArgumentException(problem);
        compact = true;
      } else if (e.type() == PixelResidualBlock.TYPE) {
        String problem =
            PixelResidualBlock.describeProblem(
                e.critical(), e.payloadNoCopy(), residual, picture.isVideo());
        if (problem != null) throw new IllegalArgumentException(problem);
        residual = true;
      } else if (e.critical()) {
        throw new IllegalArgumentException(e + ": no critical extension of this type is defined");
      }
    }
  }

  /**
   * The extension block of Spec §9.6.1: the token grid covers the picture downscaled by {@code
   * 2^shift} in each direction.
   *
   * @param shift 1 (half resolution) or 2 (quarter)
   */
  public static Extension codedResolution(int shift) {
    if (shift < CodedResolution.MIN_SHIFT || shift > CodedResolution.MAX_SHIFT) {
      throw new IllegalArgumentException(
          "resolution shift "
              + shift
              + ": must be "
              + CodedResolution.MIN_SHIFT
              + ".."
              + CodedResolution.MAX_SHIFT);
    }
    return new Extension(CodedResolution.TYPE, true, new byte[] {(byte) shift});
  }

  /**
   * The extension block of Spec §9.6.2: fine cells may carry up to {@code stageCount - 1} residual
   * stages, each coded with the model's stage codebook of {@code stageCodebookSize} entries.
   *
   * @param stageCount 2 or 3 (the first stage, the fine tokens, counts)
   * @param stageCodebookSize 16, 64, 256, 1024 or 4096
   */
  public static Extension residualStages(int stageCount, int stageCodebookSize) {
    byte[] payload = {(byte) stageCount, (byte) TokenGridParams.codebookLevelOf(stageCodebookSize)};
    String problem = ResidualStages.describeProblem(true, payload, false, false);
    if (stageCount < 0 || stageCount > 255 || problem != null)
      throw new IllegalArgumentException(problem == null ? "stage count " + stageCount : problem);
    return new Extension(ResidualStages.TYPE, true, payload);
  }

  /**
   * The extension block of Spec §9.6.3: the video's frame headers are written in the compact form
   * of Spec §10.3, 5 bytes less a one-slice frame. A video encoder adds it; readers of
   * version_minor 4 or less refuse the stream cleanly (Spec §9.4) instead of misreading frames.
   */
  public static Extension compactFrameHeaders() {
    return new Extension(CompactFrameHeaders.TYPE, true, new byte[0]);
  }

  /**
   * The extension block of Spec §9.6.4: every slice payload carries a pixel residual (Spec §6.9)
   * quantised with these steps, in quarter units of the orthonormal DCT's coefficients.
   *
   * @param lumaStep the Y (or gray) plane's step, 1..65535
   * @param chromaStep the Co and Cg planes' step, 1..65535
   */
  public static Extension pixelResidual(int lumaStep, int chromaStep) {
    if (lumaStep < 1 || lumaStep > 65535 || chromaStep < 1 || chromaStep > 65535)
      throw new IllegalArgumentException(
          "pixel residual steps " + lumaStep + ", " + chromaStep + ": each must be 1..65535");
    byte[] payload = {
      (byte) (lumaStep >> 8), (byte) lumaStep, (byte) (chromaStep >> 8), (byte) chromaStep
    };
    return new Extension(PixelResidualBlock.TYPE, true, payload);
  }

  /** Spec §9.6.4: whether the slice payloads carry a pixel residual (Spec §6.9). */
  public boolean hasPixelResidual() {
    return pixelResidualPayload() != null;
  }

  /** Spec §9.6.4 luma_step (quarter units); 0 without a pixel residual. */
  public int residualLumaStep() {
    byte[] p = pixelResidualPayload();
    return p == null ? 0 : PixelResidualBlock.lumaStep(p);
  }

  /** Spec §9.6.4 chroma_step (quarter units); 0 without a pixel residual. */
  public int residualChromaStep() {
    byte[] p = pixelResidualPayload();
    return p == null ? 0 : PixelResidualBlock.chromaStep(p);
  }

  private byte[] pixelResidualPayload() {
    for (Extension e : extensions) {
      if (e.type() == PixelResidualBlock.TYPE) return e.payloadNoCopy();
    }
    return null;
  }

  /** Spec §9.6.3: whether the frame headers of this video are compact (Spec §10.3). */
  public boolean hasCompactFrameHeaders() {
    for (Extension e : extensions) {
      if (e.type() == CompactFrameHeaders.TYPE) return true;
    }
    return false;
  }

  /**
   * Spec §9.6.2 stage_count: how many stages a fine cell may carry, the fine tokens included; 1
   * without the residual-stages block.
   */
  public int stageCount() {
    for (Extension e : extensions) {
      if (e.type() == ResidualStages.TYPE) return e.payloadNoCopy()[0] & 0xFF;
    }
    return 1;
  }

  /**
   * Spec §9.6.2: entries of each stage codebook ({@code 4^stage_codebook_level}); 0 without stages.
   */
  public int stageCodebookSize() {
    for (Extension e : extensions) {
      if (e.type() == ResidualStages.TYPE) return 1 << (2 * (e.payloadNoCopy()[1] & 0xFF));
    }
    return 0;
  }

  /** Spec §9.6.1 resolution_shift: 0 when the token grid covers the picture at full size. */
  public int resolutionShift() {
    for (Extension e : extensions) {
      if (e.type() == CodedResolution.TYPE) return e.payloadNoCopy()[0];
    }
    return 0;
  }

  /** Width of the picture the token grid covers: ceil(width / 2^resolutionShift) (Spec §9.6.1). */
  public int codedWidth() {
    return CodedResolution.coded(picture.width(), resolutionShift());
  }

  /** Height of the picture the token grid covers (Spec §9.6.1). */
  public int codedHeight() {
    return CodedResolution.coded(picture.height(), resolutionShift());
  }

  /**
   * Cell columns of the token grid: ceil(codedWidth / 16) (Spec §6.1). For a reduced-resolution
   * stream (Spec §9.6.1) this is less than the picture's own ceil(width / 16).
   */
  public int cellsWide() {
    return Limits.cells(codedWidth());
  }

  /** Cell rows of the token grid: ceil(codedHeight / 16) (Spec §6.1, §9.6.1). */
  public int cellsHigh() {
    return Limits.cells(codedHeight());
  }

  public ContainerHeader(PictureHeader picture, ModelId model, TokenGridParams grid) {
    this(picture, model, grid, List.of());
  }
}
