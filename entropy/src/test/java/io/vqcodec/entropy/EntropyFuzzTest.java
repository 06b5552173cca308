package io.vqcodec.entropy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the rANS decoder (Jazzer): any payload, decoded with adaptive
 * multi-symbol and binary models and a static CDF in a sequence the input chooses, ends in symbols
 * or {@link EntropyDecodingException}; never another exception or a hang (Spec §7). Saved inputs
 * replay in {@code mvn verify}; campaigns: tools/FUZZING.md.
 */
class EntropyFuzzTest {
  private static final Cdf SKEWED = Cdf.quantize(new int[] {1, 50, 3, 900, 7, 1, 1, 40});

  @FuzzTest(maxDuration = "10m")
  void anyPayloadDecodesOrFailsCleanly(FuzzedDataProvider data) {
    int k = 1 << data.consumeInt(1, 12);
    int steps = data.consumeInt(0, 2000);
    byte[] script = data.consumeBytes(steps);
    byte[] payload = data.consumeRemainingAsBytes();
    try {
      RansDecoder dec = new RansDecoder(payload, 0, payload.length);
      AdaptiveModel m = new AdaptiveModel(k);
      AdaptiveBinaryModel b = new AdaptiveBinaryModel();
      for (byte op : script) {
        switch (op & 3) {
          case 0 -> check(dec.decode(m), k);
          case 1 -> check(dec.decode(b), 2);
          case 2 -> check(dec.decode(SKEWED), 8);
          default -> dec.decodeBits(1 + ((op >> 2) & 15));
        }
      }
      dec.verifyEnd();
    } catch (EntropyDecodingException expected) {
      // a damaged or truncated payload: the slice is lost (Spec §6.6)
    }
  }

  private static void check(int symbol, int alphabet) {
    if (symbol < 0 || symbol >= alphabet) {
      throw new AssertionError("symbol " + symbol + " outside 0.." + (alphabet - 1));
    }
  }
}
