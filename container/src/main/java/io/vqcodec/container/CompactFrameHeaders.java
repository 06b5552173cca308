package io.vqcodec.container;

/**
 * Registered extension type 3, compact frame headers (Spec §9.6.3): every frame header of the video
 * is written in the compact form of Spec §10.3 (frame_header_size a varint, the slice directory
 * without first_row and without the last slice's row_count). A one-slice frame header takes 17
 * bytes instead of 22. One rule, used by the reader (with the byte offset of the damage) and by
 * {@link ContainerHeader} (for a writer's mistakes).
 */
final class CompactFrameHeaders {
  /** Spec §9.6.3: the type number. */
  static final int TYPE = 3;

  /** Spec §2.2.3: the first version_minor with compact frame headers. */
  static final int VERSION_MINOR = 5;

  /** Spec §9.6.3: the block has no payload; its presence is the whole message. */
  static final int PAYLOAD_SIZE = 0;

  private CompactFrameHeaders() {}

  // Messages (conformance/README.md, "Mutation testing": describe* methods are not mutated).

  /**
   * Why a type-3 block is malformed, or null if it is well formed: every rule of Spec §9.6.3, for a
   * writer's mistakes ({@link ContainerHeader}).
   */
  static String describeProblem(
      boolean critical, byte[] payload, boolean seenBefore, boolean video) {
    if (!critical)
      return "compact-frame-headers extension (type 3) without the critical flag: it changes"
          + " frame_header(), so it must be critical (Spec §9.6.3)";
    if (seenBefore)
      return "a second compact-frame-headers extension (type 3): at most one (Spec §9.6.3)";
    if (!video)
      return "compact-frame-headers extension (type 3) in a still picture: video only"
          + " (Spec §9.6.3)";
    if (payload.length != PAYLOAD_SIZE)
      return "compact-frame-headers extension (type 3) of "
          + payload.length
          + " bytes: it has no payload (Spec §9.6.3)";
    return null;
  }
}
