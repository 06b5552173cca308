package io.vqcodec.conformance;

/**
 * Why a decoder refuses a stream (Spec §C.4, from the table of Spec §2.7). A conforming decoder
 * checks in the order of Spec §2.4, so every invalid vector has exactly one expected category.
 */
public enum ErrorCategory {
  /** The first 8 bytes are not the magic (Spec §2.2.1). */
  NOT_VQC,
  /** version_major is not one the decoder implements (Spec §2.2.3); checked before header_size. */
  UNSUPPORTED_VERSION,
  /** The stream ends before header_size bytes, or inside the 14-byte prefix (Spec §2.4 step 4). */
  TRUNCATED_HEADER,
  /** header_crc does not match (Spec §2.5, §2.4 step 5). */
  DAMAGED_HEADER,
  /**
   * A header field out of range or reserved, a broken cross-field rule or limit (Spec §2.2, §3.2,
   * §4.2, §5.2, §6.2, §8.1, Annex A), a bad varint (§1.4), or a parse that does not end at
   * header_crc (§2.4 step 7).
   */
  INVALID_HEADER,
  /** A critical extension block of a type the decoder does not implement (Spec §9.4). */
  UNKNOWN_CRITICAL_EXTENSION,
  /** The decoder lacks the model (or the context prior) the stream names (Spec §4.3, §8.3.2.1). */
  UNKNOWN_MODEL
}
