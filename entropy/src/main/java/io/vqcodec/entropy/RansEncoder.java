package io.vqcodec.entropy;

import java.util.Arrays;

/**
 * rANS encoder with a FIFO interface: the decoder returns symbols in the order they were given here
 * (Spec §7.7, informative). rANS codes last-in-first-out, so {@code encode} only records the {@code
 * (start, freq)} pair of each symbol; {@link #finish()} codes them in reverse and lays the stream
 * out in decoding order.
 *
 * <p>64-bit state, 32-bit words, 24-bit probabilities; see {@link RansDecoder} for the stream
 * format. Reusable: {@link #finish()} and {@link #reset()} both leave it empty; buffers are kept,
 * so a reused encoder does not allocate except for the returned array. Not thread-safe.
 *
 * <pre>{@code
 * RansEncoder enc = new RansEncoder();
 * enc.encode(cdf, 7);                 // static distribution
 * enc.encode(adaptiveModel, 3);       // updates the model
 * enc.encodeBits(0x2A, 6);            // 6 bypass bits
 * byte[] stream = enc.finish();       // empty when nothing (or only certain symbols) was coded
 * }</pre>
 *
 * <p>Errors in the arguments (a symbol outside the alphabet, a bypass value wider than its bit
 * count) throw {@link IllegalArgumentException} and record nothing.
 */
public final class RansEncoder {
  /** Each entry is {@code start << 32 | freq}, in the order the symbols were given. */
  private long[] ops;

  private int count;
  private int[] words = new int[0];

  public RansEncoder() {
    this(1024);
  }

  /**
   * @param expectedSymbols initial capacity; the encoder grows as needed
   */
  public RansEncoder(int expectedSymbols) {
    ops = new long[Math.max(16, expectedSymbols)];
  }

  /** Records {@code symbol} coded with {@code cdf}. */
  public void encode(Cdf cdf, int symbol) {
    cdf.checkSymbol(symbol);
    int[] st = cdf.starts;
    int start = st[symbol];
    push(start, st[symbol + 1] - start);
  }

  /**
   * Records {@code symbol} coded with the model's current counts, then updates the model (Spec
   * §7.9).
   */
  public void encode(AdaptiveModel model, int symbol) {
    model.checkSymbol(symbol);
    int c = model.cumulative(symbol);
    long start = model.scaledStart(c);
    long end = model.scaledStart(c + model.countOf(symbol));
    push((int) start, (int) (end - start));
    model.update(symbol);
  }

  /** Records {@code bit} (0 or 1) coded with the model, then updates the model (Spec §7.10). */
  public void encode(AdaptiveBinaryModel model, int bit) {
    int f0 = model.freq0();
    if (bit == 0) {
      push(0, f0);
    } else if (bit == 1) {
      push(f0, Rans.TOTAL - f0);
    } else {
      throw new IllegalArgumentException("bit must be 0 or 1, got " + bit);
    }
    model.update(bit);
  }

  /**
   * Records the low {@code nBits} bits of {@code value} as bypass bits, each with probability 1/2
   * (Spec §7.5). Costs exactly {@code nBits} bits.
   *
   * @param nBits 0..32; {@code value} must be below {@code 2^nBits} (as unsigned for 32)
   */
  public void encodeBits(int value, int nBits) {
    if (nBits < 0 || nBits > 32) {
      throw new IllegalArgumentException("nBits " + nBits + " outside 0..32");
    }
    if (nBits < 32 && (value >>> nBits) != 0) {
      throw new IllegalArgumentException(
          "value 0x" + Integer.toHexString(value) + " does not fit in " + nBits + " bits");
    }
    if (nBits > Rans.MAX_BYPASS_CHUNK) {
      int low = Rans.MAX_BYPASS_CHUNK;
      pushBypass(value >>> low, nBits - low);
      pushBypass(value & ((1 << low) - 1), low);
    } else if (nBits > 0) {
      pushBypass(value, nBits);
    }
  }

  private void pushBypass(int chunk, int bits) {
    int shift = Rans.PRECISION - bits;
    push(chunk << shift, 1 << shift);
  }

  private void push(int start, int freq) {
    if (count == ops.length) {
      ops = Arrays.copyOf(ops, ops.length * 2);
    }
    ops[count++] = (long) start << 32 | freq;
  }

  /**
   * Number of coding operations recorded since the last reset (bypass values above 16 bits count
   * 2).
   */
  public int pendingOperations() {
    return count;
  }

  /** Discards everything recorded since the last {@code finish()} or {@code reset()}. */
  public void reset() {
    count = 0;
  }

  /**
   * Codes everything recorded and returns the stream (Spec §7.2 layout); the encoder is then empty
   * and ready for the next stream.
   */
  public byte[] finish() {
    if (words.length < count) {
      words = new int[Math.max(count, words.length * 2)];
    }
    int[] out = words;
    long[] op = ops;
    long x = Rans.STATE_LOW;
    int w = 0;
    for (int i = count - 1; i >= 0; i--) {
      long o = op[i];
      int freq = (int) o;
      // Spec §7.7: renormalise so that the coded state stays below 2^63.
      if ((x >>> Rans.FREQ_SHIFT) >= freq) {
        out[w++] = (int) x;
        x >>>= 32;
      }
      long q = x / freq;
      x = (q << Rans.PRECISION) + (x - q * freq) + (o >>> 32);
    }
    count = 0;
    if (w == 0 && x == Rans.STATE_LOW) {
      return new byte[0];
    }
    int headBytes = (64 - Long.numberOfLeadingZeros(x) + 7) >>> 3; // 4..8: x in [2^31, 2^63)
    byte[] bytes = new byte[headBytes + 4 * w];
    for (int i = 0; i < headBytes; i++) {
      bytes[i] = (byte) (x >>> (8 * (headBytes - 1 - i)));
    }
    int p = headBytes;
    for (int i = w - 1; i >= 0; i--) {
      int v = out[i];
      bytes[p] = (byte) (v >>> 24);
      bytes[p + 1] = (byte) (v >>> 16);
      bytes[p + 2] = (byte) (v >>> 8);
      bytes[p + 3] = (byte) v;
      p += 4;
    }
    return bytes;
  }
}
