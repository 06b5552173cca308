package io.vqcodec.container;

/**
 * Registered extension type 1, coded resolution (Spec §9.6.1): the token grid covers the picture
 * downscaled by {@code 2^shift} in each direction, and the decoder resamples the picture it
 * synthesises up to the size of the picture header. One rule, used by the reader (with the byte
 * offset of the damage) and by {@link ContainerHeader} (for a writer's mistakes).
 */
final class CodedResolution {
  /** Spec §9.6.1: the type number. */
  static final int TYPE = 1;

  /** Spec §9.6.1: resolution_shift 1 (half) or 2 (quarter). */
  static final int MIN_SHIFT = 1;

  static final int MAX_SHIFT = 2;

  /** Spec §2.2.3: the first version_minor with a registered extension type. */
  static final int VERSION_MINOR = 1;

  private CodedResolution() {}

  /**
   * Spec §9.6.1: whether a type-1 payload of one byte holds a resolution_shift in range. The reader
   * checks the block's other rules (critical flag, at most one, length) at its type and length
   * fields first.
   */
  static boolean validPayload(byte[] payload) {
    int shift = payload[0] & 0xFF;
    return shift >= MIN_SHIFT && shift <= MAX_SHIFT;
  }

  // Messages (conformance/README.md, "Mutation testing": describe* methods are not mutated).

  /**
   * Why a type-1 block is malformed, or null if it is well formed: every rule of Spec §9.6.1, for a
   * writer's mistakes ({@link ContainerHeader}).
   */
  static String describeProblem(boolean critical, byte[] payload, boolean seenBefore) {
    if (!critical)
      return "coded-resolution extension (type 1) without the critical flag: it changes"
          + " the token grid, so it must be critical (Spec §9.6.1)";
    if (seenBefore)
      return "a second coded-resolution extension (type 1): at most one (Spec §9.6.1)";
    if (payload.length != 1)
      return "coded-resolution extension (type 1) of "
          + payload.length
          + " bytes: its payload is 1 byte (Spec §9.6.1)";
    return validPayload(payload) ? null : describePayload(payload);
  }

  /** What is out of range in a one-byte type-1 payload. */
  static String describePayload(byte[] payload) {
    int shift = payload[0] & 0xFF;
    return "coded-resolution resolution_shift "
        + shift
        + ": must be "
        + MIN_SHIFT
        + ".."
        + MAX_SHIFT
        + " (Spec §9.6.1)";
  }

  /** ceil(size / 2^shift) (Spec §9.6.1). */
  static int coded(int size, int shift) {
    return (int) (((long) size + (1L << shift) - 1) >> shift);
  }
}
