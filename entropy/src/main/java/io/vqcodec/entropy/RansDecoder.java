package io.vqcodec.entropy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * rANS decoder over {@code length} bytes of {@code buf} starting at {@code offset} (Spec §7.2 to
 * §7.6). It never reads outside that range.
 *
 * <p>The stream is the final encoder state (4 to 8 bytes, big-endian) followed by 32-bit big-endian
 * words in decoding order; an empty stream is the initial state. Decode the symbols in the order
 * they were encoded, with the same distributions and models, then call {@link #verifyEnd()}.
 *
 * <pre>{@code
 * RansDecoder dec = new RansDecoder(buf, offset, length);
 * int s = dec.decode(cdf);
 * int t = dec.decode(adaptiveModel);   // updates the model exactly as the encoder did
 * int v = dec.decodeBits(6);
 * dec.verifyEnd();                     // all bytes consumed and the state back at 2^31
 * }</pre>
 *
 * <p>A stream that ends while a word is needed, or a malformed state, throws {@link
 * EntropyDecodingException}. Any other corruption decodes to some in-range symbols (every state
 * decodes to a valid symbol) and is caught by {@link #verifyEnd()} with high probability; the
 * container's CRC-32C (Spec §5) is the primary integrity check. Not thread-safe.
 */
public final class RansDecoder {
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] buf;
  private final int base;
  private final int end;
  private int pos;

  /** Invariant between calls: STATE_LOW <= x < 2^63. */
  private long x;

  /**
   * Reads the initial state (Spec §7.3).
   *
   * @throws EntropyDecodingException if the stream is 1 to 3 bytes long or its state is malformed
   * @throws IndexOutOfBoundsException if the range lies outside {@code buf}
   */
  public RansDecoder(byte[] buf, int offset, int length) throws EntropyDecodingException {
    Objects.checkFromIndexSize(offset, length, buf.length);
    this.buf = buf;
    this.base = offset;
    this.end = offset + length;
    if (length == 0) {
      x = Rans.STATE_LOW;
      pos = offset;
      return;
    }
    if (length < 4) {
      throw new EntropyDecodingException(
          "stream of " + length + " bytes is shorter than the 4-byte minimum state", 0);
    }
    int r = length & 3;
    int first = buf[offset] & 0xFF;
    int k = r != 0 ? 4 + r : (first >= 0x80 ? 4 : 8);
    if (k > length) {
      throw new EntropyDecodingException(
          "state needs " + k + " bytes but the stream has " + length, length);
    }
    if (k > 4 && first == 0) {
      throw new EntropyDecodingException(
          "state of " + k + " bytes starts with a zero byte (not minimal)", 0);
    }
    long v = 0;
    for (int i = 0; i < k; i++) {
      v = v << 8 | (buf[offset + i] & 0xFF);
    }
    x = v; // k = 4: first >= 0x80, so v >= 2^31; k = 8: first < 0x80, so v < 2^63
    pos = offset + k;
  }

  /** Decodes one symbol coded with {@code cdf} (Spec §7.4). */
  public int decode(Cdf cdf) throws EntropyDecodingException {
    long x = this.x;
    int slot = (int) x & Rans.SLOT_MASK;
    int s = cdf.lookup(slot);
    int[] st = cdf.starts;
    int start = st[s];
    x = (st[s + 1] - start) * (x >>> Rans.PRECISION) + (slot - start);
    this.x = x < Rans.STATE_LOW ? refill(x) : x;
    return s;
  }

  /**
   * Decodes one symbol coded with the model's current counts, then updates the model (Spec §7.9).
   */
  public int decode(AdaptiveModel model) throws EntropyDecodingException {
    long x = this.x;
    int slot = (int) x & Rans.SLOT_MASK;
    int total = model.total();
    int u = (int) (((slot + 1L) * total - 1) >>> Rans.PRECISION);
    long found = model.find(u);
    int s = (int) found;
    long c = found >>> 32;
    long start = model.scaledStart(c);
    long freq = model.scaledStart(c + model.countOf(s)) - start;
    x = freq * (x >>> Rans.PRECISION) + (slot - start);
    this.x = x < Rans.STATE_LOW ? refill(x) : x;
    model.update(s);
    return s;
  }

  /** Decodes one bit (0 or 1) coded with the model, then updates the model (Spec §7.10). */
  public int decode(AdaptiveBinaryModel model) throws EntropyDecodingException {
    long x = this.x;
    int slot = (int) x & Rans.SLOT_MASK;
    int f0 = model.freq0();
    int bit;
    if (slot < f0) {
      bit = 0;
      x = f0 * (x >>> Rans.PRECISION) + slot;
    } else {
      bit = 1;
      x = (Rans.TOTAL - f0) * (x >>> Rans.PRECISION) + (slot - f0);
    }
    this.x = x < Rans.STATE_LOW ? refill(x) : x;
    model.update(bit);
    return bit;
  }

  /**
   * Decodes {@code nBits} bypass bits (Spec §7.5), most significant chunk first, as written by
   * {@link RansEncoder#encodeBits}. For 32 bits the result may be negative (it is the bit pattern).
   */
  public int decodeBits(int nBits) throws EntropyDecodingException {
    if (nBits < 0 || nBits > 32) {
      throw new IllegalArgumentException("nBits " + nBits + " outside 0..32");
    }
    if (nBits > Rans.MAX_BYPASS_CHUNK) {
      int high = decodeChunk(nBits - Rans.MAX_BYPASS_CHUNK);
      return high << Rans.MAX_BYPASS_CHUNK | decodeChunk(Rans.MAX_BYPASS_CHUNK);
    }
    return nBits == 0 ? 0 : decodeChunk(nBits);
  }

  private int decodeChunk(int bits) throws EntropyDecodingException {
    long x = this.x;
    int shift = Rans.PRECISION - bits;
    int slot = (int) x & Rans.SLOT_MASK;
    x = ((x >>> Rans.PRECISION) << shift) + (slot & ((1 << shift) - 1));
    this.x = x < Rans.STATE_LOW ? refill(x) : x;
    return slot >>> shift;
  }

  /** Spec §7.4 step 4: one 32-bit word in; called with x < 2^31, so the result is below 2^63. */
  private long refill(long x) throws EntropyDecodingException {
    int p = pos;
    if (p > end - 4) {
      throw describeTruncation(p);
    }
    pos = p + 4;
    return x << 32 | ((int) INT_BE.get(buf, p) & 0xFFFF_FFFFL);
  }

  // The exceptions of a refill and of check_end(): message and offset inside the payload, neither
  // of
  // which is part of a slice's outcome (conformance/README.md, "Mutation testing": describe*
  // methods
  // are not mutated).

  private EntropyDecodingException describeTruncation(int p) {
    return new EntropyDecodingException(
        "truncated stream: a 4-byte word is needed but only "
            + (end - p)
            + " bytes remain of "
            + (end - base),
        p - base);
  }

  /**
   * Checks proper termination, {@code check_end()} of Spec §7.6: every byte consumed and the state
   * back at its initial value 2^31. Call after the last symbol; a mismatch means corruption or that
   * a different number of symbols (or different models) was decoded than encoded.
   */
  public void verifyEnd() throws EntropyDecodingException {
    if (pos != end) throw describeUnreadBytes();
    if (x != Rans.STATE_LOW) throw describeFinalState();
  }

  private EntropyDecodingException describeUnreadBytes() {
    return new EntropyDecodingException(
        (end - pos) + " bytes left unread after the last symbol", pos - base);
  }

  private EntropyDecodingException describeFinalState() {
    return new EntropyDecodingException(
        "final state 0x"
            + Long.toHexString(x)
            + " is not the initial state 0x80000000: corrupt stream or symbol sequence mismatch",
        pos - base);
  }

  /** Bytes of the stream consumed so far (the state plus the words read). */
  public int bytesConsumed() {
    return pos - base;
  }
}
