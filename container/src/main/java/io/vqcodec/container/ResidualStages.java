package io.vqcodec.container;

/**
 * Registered extension type 2, residual stages (Spec §9.6.2): a fine cell may carry, after its four
 * tokens, up to {@code stage_count - 1} further tokens per 8x8 block, each an index into the
 * model's codebook for that stage, which codes what the earlier stages left (residual vector
 * quantization). The decoder feeds the network the sum of the coded stages' code vectors. One rule,
 * used by the reader (with the byte offset of the damage) and by {@link ContainerHeader} (for a
 * writer's mistakes).
 */
final class ResidualStages {
  /** Spec §9.6.2: the type number. */
  static final int TYPE = 2;

  /** Spec §9.6.2: stage_count counts the first stage, the fine tokens of Spec §6.3. */
  static final int MIN_COUNT = 2;

  /** Spec §A.3: at most two residual stages. */
  static final int MAX_COUNT = 3;

  /** Spec §2.2.3: the first version_minor with residual stages. */
  static final int VERSION_MINOR = 4;

  /** Spec §9.6.2: the payload is stage_count and stage_codebook_level, one byte each. */
  static final int PAYLOAD_SIZE = 2;

  private ResidualStages() {}

  /**
   * Spec §9.6.2: whether a type-2 payload of {@link #PAYLOAD_SIZE} bytes holds a stage_count and a
   * stage_codebook_level in range. The reader checks the block's other rules (critical flag, at
   * most one, still pictures, length) at its type and length fields first.
   */
  static boolean validPayload(byte[] payload) {
    int count = payload[0] & 0xFF, level = payload[1] & 0xFF;
    return count >= MIN_COUNT
        && count <= MAX_COUNT
        && level >= HeaderSyntax.MIN_CODEBOOK_LEVEL
        && level <= HeaderSyntax.MAX_CODEBOOK_LEVEL;
  }

  // Messages (conformance/README.md, "Mutation testing": describe* methods are not mutated).

  /**
   * Why a type-2 block is malformed, or null if it is well formed: every rule of Spec §9.6.2, for a
   * writer's mistakes ({@link ContainerHeader}).
   */
  static String describeProblem(
      boolean critical, byte[] payload, boolean seenBefore, boolean video) {
    if (!critical)
      return "residual-stages extension (type 2) without the critical flag: it changes"
          + " slice_data(), so it must be critical (Spec §9.6.2)";
    if (seenBefore) return "a second residual-stages extension (type 2): at most one (Spec §9.6.2)";
    if (video)
      return "residual-stages extension (type 2) in a video: still pictures only (Spec §9.6.2)";
    if (payload.length != PAYLOAD_SIZE)
      return "residual-stages extension (type 2) of "
          + payload.length
          + " bytes: its payload is "
          + PAYLOAD_SIZE
          + " bytes (Spec §9.6.2)";
    return validPayload(payload) ? null : describePayload(payload);
  }

  /** What is out of range in a type-2 payload of {@link #PAYLOAD_SIZE} bytes. */
  static String describePayload(byte[] payload) {
    int count = payload[0] & 0xFF, level = payload[1] & 0xFF;
    if (count < MIN_COUNT || count > MAX_COUNT)
      return "residual-stages stage_count "
          + count
          + ": must be "
          + MIN_COUNT
          + ".."
          + MAX_COUNT
          + " (Spec §9.6.2)";
    if (level < HeaderSyntax.MIN_CODEBOOK_LEVEL || level > HeaderSyntax.MAX_CODEBOOK_LEVEL)
      return "residual-stages stage_codebook_level "
          + level
          + ": must be "
          + HeaderSyntax.MIN_CODEBOOK_LEVEL
          + ".."
          + HeaderSyntax.MAX_CODEBOOK_LEVEL
          + " (Spec §9.6.2)";
    return "well formed";
  }
}
