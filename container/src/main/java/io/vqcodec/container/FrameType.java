package io.vqcodec.container;

/** frame_type of Spec §10.3. */
public enum FrameType {
  /** Coded as a picture; refers to no other frame. */
  KEY(0, 0),
  /** Coded against the previous frame's tokens (Spec §10.4, §10.5). */
  PREDICTED(1, 0),
  /**
   * Coded against the previous frame's tokens with motion copies as well as skips (Spec §10.9);
   * valid from version_minor 3.
   */
  MOTION(2, 3);

  public final int code;

  /** The lowest version_minor in which the type is defined (0: in every profile-1 stream). */
  final int versionMinor;

  FrameType(int code, int versionMinor) {
    this.code = code;
    this.versionMinor = versionMinor;
  }

  /** Whether frames of this type refer to the previous frame (Spec §10.5). */
  public boolean predicted() {
    return this != KEY;
  }

  /** The type of {@code code}, or null for a reserved value (such a frame is lost, §10.3). */
  public static FrameType of(long code) {
    return of(code, Integer.MAX_VALUE);
  }

  /**
   * The type of {@code code} in a stream of version_minor {@code versionMinor}, or null for a value
   * reserved there (Spec §10.3: the frame is lost).
   */
  public static FrameType of(long code, int versionMinor) {
    for (FrameType t : values()) {
      if (t.code == code) return versionMinor >= t.versionMinor ? t : null;
    }
    return null;
  }
}
