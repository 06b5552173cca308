package io.vqcodec.container;

/** {@code granularity_mode} of Spec §6.2: whether granularity flags are coded. */
public enum GranularityMode {
  /** A flag per cell chooses coarse or fine. */
  MIXED(0),
  /** Every cell is coarse; no flags are coded. */
  ALL_COARSE(1),
  /** Every cell is fine; no flags are coded. */
  ALL_FINE(2);

  final int code;

  GranularityMode(int code) {
    this.code = code;
  }

  static GranularityMode of(int code) {
    for (GranularityMode m : values()) {
      if (m.code == code) return m;
    }
    throw new IllegalArgumentException("granularity_mode " + code);
  }
}
