package io.vqcodec.entropy;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Frozen streams: the worked examples of Spec §7.12. A change here is a bitstream change. */
class GoldenStreamTest {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

  @Test
  void sixteenBypassBits() throws Exception {
    RansEncoder enc = new RansEncoder();
    enc.encodeBits(0xABCD, 16);
    byte[] bytes = enc.finish();
    assertThat(HEX.formatHex(bytes)).isEqualTo("80 00 00 AB CD 00");
    RansDecoder dec = new RansDecoder(bytes, 0, bytes.length);
    assertThat(dec.decodeBits(16)).isEqualTo(0xABCD);
    dec.verifyEnd();
  }

  @Test
  void mixedExampleOfTheSpec() throws Exception {
    Cdf cdf = Cdf.quantize(new long[] {5, 0, 3, 1});
    AdaptiveModel m = new AdaptiveModel(3, 4, 10);
    AdaptiveBinaryModel b = new AdaptiveBinaryModel();
    RansEncoder enc = new RansEncoder();
    enc.encode(cdf, 2);
    enc.encode(cdf, 1);
    enc.encode(m, 0);
    enc.encode(b, 1);
    enc.encodeBits(0x2A, 6);
    enc.encode(cdf, 3);
    enc.encode(m, 2);
    byte[] bytes = enc.finish();
    assertThat(HEX.formatHex(bytes)).isEqualTo("8D BE C7 4B AF FF 10 F6 55");

    AdaptiveModel dm = new AdaptiveModel(3, 4, 10);
    AdaptiveBinaryModel db = new AdaptiveBinaryModel();
    RansDecoder dec = new RansDecoder(bytes, 0, bytes.length);
    assertThat(dec.decode(cdf)).isEqualTo(2);
    assertThat(dec.decode(cdf)).isEqualTo(1);
    assertThat(dec.decode(dm)).isEqualTo(0);
    assertThat(dec.decode(db)).isEqualTo(1);
    assertThat(dec.decodeBits(6)).isEqualTo(0x2A);
    assertThat(dec.decode(cdf)).isEqualTo(3);
    assertThat(dec.decode(dm)).isEqualTo(2);
    dec.verifyEnd();
  }

  /**
   * A long random stream of every kind of symbol, pinned by hash (the script uses only
   * SplittableRandom and StrictMath, so it is the same on every JVM).
   */
  @Test
  void longMixedStreamHash() throws Exception {
    byte[] bytes = Scripts.random(20240601L, 5000).encode();
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(bytes.length + ":" + sha)
        .isEqualTo("2765:d255fe2f7122bd0eb3e03066b8b16a2bdaf4e7fffd023ee7dbde5aa20ec7876a");
  }
}
