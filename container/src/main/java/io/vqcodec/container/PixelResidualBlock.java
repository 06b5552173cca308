package io.vqcodec.container;

/**
 * Registered extension type 4, pixel residual (Spec §9.6.4): every slice payload carries, after its
 * tokens, a residual of the synthesised picture in its pixel rows (Spec §6.9), quantised with the
 * block's two steps. One rule, used by the reader (with the byte offset of the damage) and by
 * {@link ContainerHeader} (for a writer's mistakes).
 */
final class PixelResidualBlock {
  /** Spec §9.6.4: the type number. */
  static final int TYPE = 4;

  /** Spec §2.2.3: the first version_minor with a pixel residual. */
  static final int VERSION_MINOR = 6;

  /** Spec §9.6.4: luma_step and chroma_step, u(16) each. */
  static final int PAYLOAD_SIZE = 4;

  private PixelResidualBlock() {}

  static int lumaStep(byte[] payload) {
    return (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
  }

  static int chromaStep(byte[] payload) {
    return (payload[2] & 0xFF) << 8 | (payload[3] & 0xFF);
  }

  /**
   * Spec §9.6.4: whether a type-4 payload of {@link #PAYLOAD_SIZE} bytes holds two steps of at
   * least 1. The reader checks the block's other rules (critical flag, at most one, still pictures,
   * length) at its type and length fields first.
   */
  static boolean validPayload(byte[] payload) {
    return lumaStep(payload) >= 1 && chromaStep(payload) >= 1;
  }

  // Messages (conformance/README.md, "Mutation testing": describe* methods are not mutated).

  /**
   * Why a type-4 block is malformed, or null if it is well formed: every rule of Spec §9.6.4, for a
   * writer's mistakes ({@link ContainerHeader}).
   */
  static String describeProblem(
      boolean critical, byte[] payload, boolean seenBefore, boolean video) {
    if (!critical)
      return "pixel-residual extension (type 4) without the critical flag: it changes the slice"
          + " payloads, so it must be critical (Spec §9.6.4)";
    if (seenBefore) return "a second pixel-residual extension (type 4): at most one (Spec §9.6.4)";
    if (video)
      return "pixel-residual extension (type 4) in a video: still pictures only (Spec §9.6.4)";
    if (payload.length != PAYLOAD_SIZE)
      return "pixel-residual extension (type 4) of "
          + payload.length
          + " bytes: its payload is "
          + PAYLOAD_SIZE
          + " bytes (Spec §9.6.4)";
    return validPayload(payload) ? null : describePayload(payload);
  }

  /** What is out of range in a type-4 payload of {@link #PAYLOAD_SIZE} bytes. */
  static String describePayload(byte[] payload) {
    return "pixel-residual luma_step "
        + lumaStep(payload)
        + ", chroma_step "
        + chromaStep(payload)
        + ": each must be 1..65535 (Spec §9.6.4)";
  }
}
