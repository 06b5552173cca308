package io.vqcodec.container;

/** frame_type of Spec §10.3. */
public enum FrameType {
  /** Coded as a picture; refers to no other frame. */
  KEY(0),
  /** Coded against the previous frame's tokens (Spec §10.4, §10.5). */
  PREDICTED(1);

  public final int code;

  FrameType(int code) {
    this.code = code;
  }

  /** The type of {@code code}, or null for a reserved value (such a frame is lost, §10.3). */
  public static FrameType of(long code) {
    for (FrameType t : values()) {
      if (t.code == code) return t;
    }
    return null;
  }
}
