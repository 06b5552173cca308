package io.vqcodec.entropy;

/**
 * Fixed parameters of the vqcodec rANS coder (Spec §7.1). Shared by {@link RansEncoder} and {@link
 * RansDecoder}; nothing here is configurable, because every value is part of the bitstream.
 */
final class Rans {
  /** P: probability precision in bits; every model codes with frequencies that sum to 2^P. */
  static final int PRECISION = 24;

  /** M = 2^P. */
  static final int TOTAL = 1 << PRECISION;

  static final int SLOT_MASK = TOTAL - 1;

  /**
   * L: lower bound of the normalised state interval [L, 2^63); also the initial and final state.
   */
  static final long STATE_LOW = 1L << 31;

  /** A symbol with frequency f forces a word out before encoding iff (x >>> FREQ_SHIFT) >= f. */
  static final int FREQ_SHIFT = 63 - PRECISION;

  /** Bypass bits are coded in chunks of at most this many bits (Spec §7.5). */
  static final int MAX_BYPASS_CHUNK = 16;

  private Rans() {}
}
