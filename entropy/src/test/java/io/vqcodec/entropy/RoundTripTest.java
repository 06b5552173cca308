package io.vqcodec.entropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mixedStreamRoundTripsAndMatchesTheReferenceBitForBit(long seed) throws Exception {
    Scripts.Script sc = Scripts.random(seed, 1200);
    byte[] bytes = sc.encode();
    sc.decodeAndCheck(bytes, 0, bytes.length);
    assertThat(bytes).isEqualTo(ReferenceCoder.encode(sc.referenceOps()));
    sc.referenceDecodeAndCheck(bytes);
  }

  @Test
  void emptyStreamIsZeroBytesAndDecodes() throws Exception {
    RansEncoder enc = new RansEncoder();
    byte[] bytes = enc.finish();
    assertThat(bytes).isEmpty();
    RansDecoder dec = new RansDecoder(bytes, 0, 0);
    dec.verifyEnd();
    assertThat(dec.decodeBits(0)).isZero();
    dec.verifyEnd();
  }

  @Test
  void decodingPastTheEndOfAnEmptyStreamIsACleanError() throws Exception {
    RansDecoder dec = new RansDecoder(new byte[0], 0, 0);
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 10; i++) {
                dec.decode(Cdf.uniform(1024));
              }
            })
        .isInstanceOf(EntropyDecodingException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void singleSymbolAlphabetCostsNothing() throws Exception {
    Cdf one = Cdf.uniform(1);
    assertThat(one.freq(0)).isEqualTo(1 << 24);
    RansEncoder enc = new RansEncoder();
    for (int i = 0; i < 100_000; i++) {
      enc.encode(one, 0);
    }
    byte[] bytes = enc.finish();
    assertThat(bytes).isEmpty();
    RansDecoder dec = new RansDecoder(bytes, 0, 0);
    for (int i = 0; i < 100_000; i++) {
      assertThat(dec.decode(one)).isZero();
    }
    dec.verifyEnd();
  }

  @Test
  void fullAlphabetOf65536Symbols() throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    Cdf uniform = Cdf.uniform(65536);
    assertThat(uniform.frequencies()).containsOnly(256);
    Cdf skewed = Cdf.quantize(Scripts.randomWeights(rnd, 65536));
    int[] a = rnd.ints(20_000, 0, 65536).toArray();
    int[] b = new int[a.length];
    RansEncoder enc = new RansEncoder();
    for (int i = 0; i < a.length; i++) {
      b[i] = Scripts.sample(rnd, skewed);
      enc.encode(uniform, a[i]);
      enc.encode(skewed, b[i]);
    }
    enc.encode(uniform, 65535);
    enc.encode(skewed, 65535);
    byte[] bytes = enc.finish();
    RansDecoder dec = new RansDecoder(bytes, 0, bytes.length);
    for (int i = 0; i < a.length; i++) {
      assertThat(dec.decode(uniform)).isEqualTo(a[i]);
      assertThat(dec.decode(skewed)).isEqualTo(b[i]);
    }
    assertThat(dec.decode(uniform)).isEqualTo(65535);
    assertThat(dec.decode(skewed)).isEqualTo(65535);
    dec.verifyEnd();
    // 16 bits per uniform symbol, no more
    assertThat(bytes.length).isLessThan(a.length * 2 + 20 + (int) (skewedBits(skewed, b) / 8) + 16);
  }

  private static double skewedBits(Cdf c, int[] symbols) {
    double bits = 0;
    for (int s : symbols) {
      bits += 24 - Math.log(c.freq(s)) / Math.log(2);
    }
    return bits;
  }

  @Test
  void extremeSkewCertainSymbolsAndTheOneInTwoTo24() throws Exception {
    int[] f = new int[] {(1 << 24) - 1, 1};
    Cdf cdf = Cdf.ofFrequencies(f);
    RansEncoder enc = new RansEncoder();
    int[] symbols = new int[200_000];
    symbols[77] = 1;
    symbols[100_000] = 1;
    symbols[199_999] = 1;
    for (int s : symbols) {
      enc.encode(cdf, s);
    }
    byte[] bytes = enc.finish();
    // 3 * 24 bits for the rare symbol + 200k * 8.6e-8 bits + at most ~5 bytes of termination
    assertThat(bytes.length).isBetween(9, 9 + 8);
    RansDecoder dec = new RansDecoder(bytes, 0, bytes.length);
    for (int s : symbols) {
      assertThat(dec.decode(cdf)).isEqualTo(s);
    }
    dec.verifyEnd();
  }

  @Test
  void bypassBitsOfEveryWidthIncludingFull32BitPatterns() throws Exception {
    RansEncoder enc = new RansEncoder();
    int[] values = {0, -1, 0x8000_0000, 0x7FFF_FFFF, 0xDEAD_BEEF, 1};
    for (int v : values) {
      enc.encodeBits(v, 32);
    }
    for (int n = 0; n <= 31; n++) {
      enc.encodeBits((1 << n) - 1, n);
      enc.encodeBits(0, n);
    }
    byte[] bytes = enc.finish();
    int payloadBits = 32 * values.length + 2 * (31 * 32 / 2);
    assertThat(bytes.length * 8).isBetween(payloadBits, payloadBits + 64);
    RansDecoder dec = new RansDecoder(bytes, 0, bytes.length);
    for (int v : values) {
      assertThat(dec.decodeBits(32)).isEqualTo(v);
    }
    for (int n = 0; n <= 31; n++) {
      assertThat(dec.decodeBits(n)).isEqualTo((1 << n) - 1);
      assertThat(dec.decodeBits(n)).isZero();
    }
    dec.verifyEnd();
  }

  @Test
  void encoderIsReusableAfterFinishAndReset() throws Exception {
    Scripts.Script a = Scripts.random(11, 500);
    Scripts.Script b = Scripts.random(12, 500);
    RansEncoder enc = new RansEncoder(1);
    a.encodeInto(enc);
    byte[] first = enc.finish();
    b.encodeInto(enc);
    enc.reset();
    assertThat(enc.pendingOperations()).isZero();
    a.encodeInto(enc);
    assertThat(enc.finish()).isEqualTo(first);
    b.encodeInto(enc);
    assertThat(enc.finish()).isEqualTo(b.encode());
  }

  @Test
  void logicErrorsAreIllegalArgumentExceptions() throws Exception {
    RansEncoder enc = new RansEncoder();
    Cdf cdf = Cdf.uniform(10);
    assertThatThrownBy(() -> enc.encode(cdf, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("symbol 10");
    assertThatThrownBy(() -> enc.encode(cdf, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.encode(new AdaptiveModel(4), 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.encode(new AdaptiveBinaryModel(), 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.encodeBits(4, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 bits");
    assertThatThrownBy(() -> enc.encodeBits(0, 33)).isInstanceOf(IllegalArgumentException.class);
    assertThat(enc.pendingOperations()).isZero();
    assertThatThrownBy(() -> Cdf.ofFrequencies(new int[] {1 << 24, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("frequency of symbol 1 is 0");
    assertThatThrownBy(() -> Cdf.ofFrequencies(new int[] {5, 6}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cdf.uniform(65537)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cdf.uniform(0)).isInstanceOf(IllegalArgumentException.class);
    RansDecoder dec = new RansDecoder(new byte[0], 0, 0);
    assertThatThrownBy(() -> dec.decodeBits(33)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RansDecoder(new byte[4], 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
