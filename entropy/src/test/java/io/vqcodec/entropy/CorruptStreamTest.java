package io.vqcodec.entropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Truncated, bit-flipped and random streams (Spec §7.11): only {@link EntropyDecodingException},
 * never another exception, never a read outside the given range, never a hang.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CorruptStreamTest {
  private static final int GUARD = 13;

  private static Scripts.Script realScript() {
    Scripts.Script sc = Scripts.random(5, 0);
    SplittableRandom rnd = new SplittableRandom(99);
    Cdf cdf = Cdf.quantize(Scripts.randomWeights(rnd, 1024));
    sc.cdfs.set(0, cdf);
    sc.adaptives.add(new Scripts.AdaptiveSpec(64, 32, 65536));
    sc.binaryRates.add(5);
    Cdf hidden = Cdf.quantize(Scripts.randomWeights(rnd, 64));
    for (int i = 0; i < 1500; i++) {
      switch (i % 5) {
        case 0, 1 -> sc.steps.add(new Scripts.Step(Scripts.Kind.CDF, 0, Scripts.sample(rnd, cdf)));
        case 2 ->
            sc.steps.add(
                new Scripts.Step(
                    Scripts.Kind.ADAPTIVE, sc.adaptives.size() - 1, Scripts.sample(rnd, hidden)));
        case 3 ->
            sc.steps.add(
                new Scripts.Step(
                    Scripts.Kind.BINARY, sc.binaryRates.size() - 1, rnd.nextInt(4) == 0 ? 1 : 0));
        default -> sc.steps.add(new Scripts.Step(Scripts.Kind.BITS, 5, rnd.nextInt(32)));
      }
    }
    return sc;
  }

  /** The stream sits after GUARD junk bytes and is followed by GUARD more. */
  private static byte[] embed(byte[] stream, SplittableRandom rnd) {
    byte[] buf = new byte[GUARD + stream.length + GUARD];
    rnd.nextBytes(buf);
    System.arraycopy(stream, 0, buf, GUARD, stream.length);
    return buf;
  }

  @Test
  void sentinelsAroundThePayloadAreNeverRead() throws Exception {
    Scripts.Script sc = realScript();
    byte[] stream = sc.encode();
    SplittableRandom rnd = new SplittableRandom(1);
    for (int trial = 0; trial < 20; trial++) {
      byte[] buf = embed(stream, rnd);
      sc.decodeAndCheck(buf, GUARD, stream.length);
    }
    // The true continuation follows a shortened range: reading past the range would "succeed".
    byte[] buf = embed(stream, rnd);
    for (int cut = 1; cut <= 8; cut++) {
      int len = stream.length - cut;
      assertThatThrownBy(() -> sc.decodeBlind(buf, GUARD, len))
          .isInstanceOf(EntropyDecodingException.class);
    }
  }

  @Test
  void truncationAtEveryByteOffsetIsACleanError() throws Exception {
    Scripts.Script sc = realScript();
    byte[] stream = sc.encode();
    assertThat(stream.length).isGreaterThan(500);
    byte[] buf = embed(stream, new SplittableRandom(2));
    int r =
        stream.length
            & 3; // the state size depends on the length mod 4 (and, for 0, on the first byte)
    int midStream = 0;
    for (int len = 0; len < stream.length; len++) {
      try {
        sc.decodeBlind(buf, GUARD, len);
        fail("truncated to " + len + " of " + stream.length + " bytes but decoded without error");
      } catch (EntropyDecodingException e) {
        assertThat(e.offset()).isBetween(0, len);
        assertThat(e.getMessage()).contains("byte offset " + e.offset());
        // Same length mod 4 keeps the state's size, so the same words are read until they run out.
        if (len >= 8 && (len & 3) == r) {
          assertThat(e.getMessage()).contains("truncated stream");
          midStream++;
        }
      }
    }
    assertThat(midStream).isEqualTo((stream.length - 8) / 4);
  }

  /**
   * A flip inside bits that were coded as bypass bits changes those bits only: bypass bits carry no
   * redundancy, so the state, and everything after, is unaffected (Spec §7.11). Every other flip is
   * detected: it derails the state, and the final-state check has 31 bits.
   */
  @Test
  void singleBitFlipsAreDetectedUnlessTheyHitBypassBits() throws Exception {
    Scripts.Script sc = realScript();
    byte[] stream = sc.encode();
    SplittableRandom rnd = new SplittableRandom(3);
    int detected = 0;
    int bypassOnly = 0;
    int trials = 1500;
    for (int t = 0; t < trials; t++) {
      byte[] buf = embed(stream, rnd);
      int bit = rnd.nextInt(stream.length * 8);
      buf[GUARD + bit / 8] ^= (byte) (1 << (bit & 7));
      try {
        long[] got = sc.decodeBlind(buf, GUARD, stream.length);
        int changed = 0;
        for (int i = 0; i < got.length; i++) {
          Scripts.Step st = sc.steps.get(i);
          if (got[i] != st.value()) {
            assertThat(st.kind())
                .as("undetected flip changed a modelled symbol")
                .isEqualTo(Scripts.Kind.BITS);
            changed++;
          }
        }
        assertThat(changed).isEqualTo(1);
        bypassOnly++;
      } catch (EntropyDecodingException e) {
        detected++;
      }
    }
    assertThat(detected + bypassOnly).isEqualTo(trials);
    assertThat(detected).isGreaterThan(trials * 9 / 10);
  }

  @Test
  void everyBitFlipIsDetectedWithoutBypassBits() throws Exception {
    Scripts.Script sc = realScript();
    sc.steps.removeIf(st -> st.kind() == Scripts.Kind.BITS);
    byte[] stream = sc.encode();
    for (int bit = 0; bit < stream.length * 8; bit += 3) {
      byte[] buf = stream.clone();
      buf[bit / 8] ^= (byte) (1 << (bit & 7));
      assertThatThrownBy(() -> sc.decodeBlind(buf, 0, buf.length))
          .isInstanceOf(EntropyDecodingException.class);
    }
  }

  @Test
  void randomGarbageNeverThrowsAnythingElse() {
    SplittableRandom rnd = new SplittableRandom(4);
    Scripts.Script sc = realScript();
    int accepted = 0;
    for (int t = 0; t < 1000; t++) {
      byte[] junk = new byte[rnd.nextInt(64) == 0 ? rnd.nextInt(4) : rnd.nextInt(2000)];
      rnd.nextBytes(junk);
      try {
        sc.decodeBlind(junk, 0, junk.length);
        accepted++;
      } catch (EntropyDecodingException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
    assertThat(accepted).isZero();
  }

  @Test
  void malformedStatesAreRejectedAtConstruction() {
    assertThatThrownBy(() -> new RansDecoder(new byte[] {1, 2, 3}, 0, 3))
        .isInstanceOf(EntropyDecodingException.class)
        .hasMessageContaining("shorter than the 4-byte minimum");
    // length 4 with the top bit clear would need an 8-byte state
    assertThatThrownBy(() -> new RansDecoder(new byte[] {0x7F, 0, 0, 0}, 0, 4))
        .isInstanceOf(EntropyDecodingException.class)
        .hasMessageContaining("needs 8 bytes");
    // a 5-byte state must not start with a zero byte
    assertThatThrownBy(() -> new RansDecoder(new byte[] {0, 1, 2, 3, 4}, 0, 5))
        .isInstanceOf(EntropyDecodingException.class)
        .hasMessageContaining("not minimal");
  }

  @Test
  void unreadBytesAndWrongFinalStateAreReportedByVerifyEnd() throws Exception {
    RansEncoder enc = new RansEncoder();
    enc.encodeBits(0xABCD, 16);
    byte[] stream = enc.finish();
    RansDecoder early = new RansDecoder(stream, 0, stream.length);
    assertThatThrownBy(early::verifyEnd)
        .isInstanceOf(EntropyDecodingException.class)
        .hasMessageContaining("final state");
    enc.encodeBits(0xABCD, 16);
    enc.encodeBits(0x1234_5678, 32);
    enc.encodeBits(0x1234_5678, 32);
    byte[] longer = enc.finish();
    RansDecoder partial = new RansDecoder(longer, 0, longer.length);
    partial.decodeBits(16);
    assertThatThrownBy(partial::verifyEnd)
        .isInstanceOf(EntropyDecodingException.class)
        .hasMessageContaining("left unread");
  }
}
