package io.vqcodec.container;

import java.util.Arrays;

/**
 * An extension block of Spec §9.2. The reader implements the registered types, the coded resolution
 * of Spec §9.6.1 ({@link ContainerHeader#codedResolution}) and the residual stages of Spec §9.6.2
 * ({@link ContainerHeader#residualStages}); it refuses any other critical block and hands ignorable
 * ones back untouched, for a caller that knows them or for re-muxing.
 */
public final class Extension {
  /** Largest type number: extension_type is u16 with the top bit the critical flag. */
  public static final int MAX_TYPE = 0x7FFF;

  private final int type;
  private final boolean critical;
  private final byte[] payload;

  /**
   * @param type 1..{@value #MAX_TYPE} (Spec §9.3)
   * @param critical whether a decoder that does not know the type must refuse the stream
   * @param payload at most {@value Limits#MAX_EXTENSION_SIZE} bytes, copied
   */
  public Extension(int type, boolean critical, byte[] payload) {
    if (type < 1 || type > MAX_TYPE) {
      throw new IllegalArgumentException("extension type " + type + ": must be 1.." + MAX_TYPE);
    }
    if (payload.length > Limits.MAX_EXTENSION_SIZE) {
      throw new IllegalArgumentException(
          "extension payload of "
              + payload.length
              + " bytes: at most "
              + Limits.MAX_EXTENSION_SIZE);
    }
    this.type = type;
    this.critical = critical;
    this.payload = payload.clone();
  }

  public int type() {
    return type;
  }

  public boolean critical() {
    return critical;
  }

  public byte[] payload() {
    return payload.clone();
  }

  int size() {
    return payload.length;
  }

  byte[] payloadNoCopy() {
    return payload;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Extension e
        && e.type == type
        && e.critical == critical
        && Arrays.equals(e.payload, payload);
  }

  @Override
  public int hashCode() {
    return (type * 31 + Boolean.hashCode(critical)) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Extension[type "
        + type
        + (critical ? ", critical" : "")
        + ", "
        + payload.length
        + " bytes]";
  }
}
