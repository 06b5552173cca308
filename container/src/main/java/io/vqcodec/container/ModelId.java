package io.vqcodec.container;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * model_identification() of Spec §4: the registry id of the neural decoder and the first {@value
 * #HASH_BYTES} bytes of the SHA-256 of its weights file. A decoder that lacks this exact model must
 * refuse the stream (Spec §4.3).
 */
public final class ModelId {
  /** Bytes of weights_hash: the first 16 bytes of the SHA-256. */
  public static final int HASH_BYTES = 16;

  private final long id;
  private final byte[] weightsHash;

  /**
   * @param id registry id, 1..{@value Limits#MAX_MODEL_ID}
   * @param sha256 the full 32-byte SHA-256 of the weights, or its first 16 bytes
   */
  public ModelId(long id, byte[] sha256) {
    if (id < 1 || id > Limits.MAX_MODEL_ID) {
      throw new IllegalArgumentException("model id " + id + ": must be 1.." + Limits.MAX_MODEL_ID);
    }
    if (sha256 == null || (sha256.length != 32 && sha256.length != HASH_BYTES)) {
      throw new IllegalArgumentException("weights hash must be 32 (SHA-256) or 16 bytes");
    }
    this.id = id;
    this.weightsHash = Arrays.copyOf(sha256, HASH_BYTES);
  }

  public long id() {
    return id;
  }

  /** The 16 bytes stored in the stream. */
  public byte[] weightsHash() {
    return weightsHash.clone();
  }

  /** Whether a model with this id and weights SHA-256 (32 bytes) is the one the stream names. */
  public boolean matches(long modelId, byte[] sha256) {
    return modelId == id
        && sha256 != null
        && sha256.length >= HASH_BYTES
        && Arrays.equals(weightsHash, Arrays.copyOf(sha256, HASH_BYTES));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelId m && m.id == id && Arrays.equals(m.weightsHash, weightsHash);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + Arrays.hashCode(weightsHash);
  }

  @Override
  public String toString() {
    return "model " + id + " (weights sha256 " + HexFormat.of().formatHex(weightsHash) + "...)";
  }
}
