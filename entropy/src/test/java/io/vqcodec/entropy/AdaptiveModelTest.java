package io.vqcodec.entropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdaptiveModelTest {

  private static int[] counts(AdaptiveModel m) {
    int[] c = new int[m.alphabetSize()];
    for (int s = 0; s < c.length; s++) {
      c[s] = m.count(s);
    }
    return c;
  }

  /** The worked example of Spec §7.9.4. */
  @Test
  void goldenUpdateAndRescale() {
    AdaptiveModel m = new AdaptiveModel(3, 4, 10);
    assertThat(m.toCdf().frequencies()).containsExactly(5592405, 5592405, 5592406);
    RansEncoder enc = new RansEncoder();
    enc.encode(m, 0);
    assertThat(counts(m)).containsExactly(5, 1, 1);
    assertThat(m.total()).isEqualTo(7);
    assertThat(m.toCdf().frequencies()).containsExactly(11983725, 2396745, 2396746);
    enc.encode(m, 0); // total 11 > 10: halve
    assertThat(counts(m)).containsExactly(5, 1, 1);
    enc.encode(m, 2); // {5,1,5}, total 11: halve to {3,1,3}
    assertThat(counts(m)).containsExactly(3, 1, 3);
    enc.encode(m, 2); // {3,1,7}, total 11: halve to {2,1,4}
    assertThat(counts(m)).containsExactly(2, 1, 4);
    assertThat(m.total()).isEqualTo(7);
    m.reset();
    assertThat(counts(m)).containsExactly(1, 1, 1);
  }

  @Test
  void defaults() {
    AdaptiveModel m = new AdaptiveModel(1024);
    assertThat(m.increment()).isEqualTo(32);
    assertThat(m.limit()).isEqualTo(65536);
    assertThat(new AdaptiveModel(65536).limit()).isEqualTo(262144);
    assertThat(new AdaptiveBinaryModel().rate()).isEqualTo(5);
  }

  @Test
  void invalidParametersAreRejected() {
    assertThatThrownBy(() -> new AdaptiveModel(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdaptiveModel(100, 0, 1000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdaptiveModel(100, 10, 109))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("110");
    assertThatThrownBy(() -> new AdaptiveModel(100, 10, (1 << 24) + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdaptiveBinaryModel(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdaptiveBinaryModel(16))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countsStayPositiveAndTotalStaysWithinTheLimit() {
    SplittableRandom rnd = new SplittableRandom(3);
    int[][] params = {
      {1, 1, 2}, {2, 1, 3}, {5, 100, 105}, {300, 7, 400}, {65536, 1, 65537}, {40, 32, 65536}
    };
    for (int[] p : params) {
      AdaptiveModel m = new AdaptiveModel(p[0], p[1], p[2]);
      ReferenceCoder.Adaptive ref = new ReferenceCoder.Adaptive(p[0], p[1], p[2]);
      RansEncoder enc = new RansEncoder();
      for (int i = 0; i < 3000; i++) {
        int s = rnd.nextInt(4) == 0 ? rnd.nextInt(p[0]) : 0;
        enc.encode(m, s);
        ref.update(s);
        assertThat(m.total()).isBetween(p[0], p[2]);
      }
      int[] c = counts(m);
      for (int s = 0; s < c.length; s++) {
        assertThat((long) c[s]).isEqualTo(ref.c[s]);
      }
      assertThat(java.util.Arrays.stream(m.toCdf().frequencies()).min().getAsInt()).isPositive();
    }
  }

  @Test
  void adaptiveCodingApproachesTheSourceEntropy() throws Exception {
    SplittableRandom rnd = new SplittableRandom(5);
    double[] p = new double[64];
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.pow(0.8, i);
    }
    Cdf source = Cdf.quantizeProbabilities(p);
    AdaptiveModel m = new AdaptiveModel(64);
    RansEncoder enc = new RansEncoder();
    int n = 100_000;
    int[] symbols = new int[n];
    double entropyBits = 0;
    for (int i = 0; i < n; i++) {
      symbols[i] = Scripts.sample(rnd, source);
      entropyBits += 24 - Math.log(source.freq(symbols[i])) / Math.log(2);
      enc.encode(m, symbols[i]);
    }
    byte[] bytes = enc.finish();
    assertThat(bytes.length * 8.0).isLessThan(entropyBits * 1.02);
    AdaptiveModel d = new AdaptiveModel(64);
    RansDecoder dec = new RansDecoder(bytes, 0, bytes.length);
    for (int s : symbols) {
      assertThat(dec.decode(d)).isEqualTo(s);
    }
    dec.verifyEnd();
  }

  @Test
  void binaryModelGoldenAndBounds() throws Exception {
    AdaptiveBinaryModel m = new AdaptiveBinaryModel();
    RansEncoder enc = new RansEncoder();
    enc.encode(m, 0);
    assertThat(m.probabilityOfZero()).isEqualTo(33792);
    enc.encode(m, 1);
    assertThat(m.probabilityOfZero()).isEqualTo(32736);
    for (int i = 0; i < 10_000; i++) {
      enc.encode(m, 0);
    }
    assertThat(m.probabilityOfZero()).isEqualTo(65536 - 31);
    for (int i = 0; i < 10_000; i++) {
      enc.encode(m, 1);
    }
    assertThat(m.probabilityOfZero()).isEqualTo(31);
    AdaptiveBinaryModel fast = new AdaptiveBinaryModel(1);
    for (int i = 0; i < 100; i++) {
      enc.encode(fast, 1);
    }
    assertThat(fast.probabilityOfZero()).isEqualTo(1);
    for (int i = 0; i < 100; i++) {
      enc.encode(fast, 0);
    }
    assertThat(fast.probabilityOfZero()).isEqualTo(65535);
    byte[] bytes = enc.finish();
    RansDecoder dec = new RansDecoder(bytes, 0, bytes.length);
    AdaptiveBinaryModel d = new AdaptiveBinaryModel();
    AdaptiveBinaryModel dfast = new AdaptiveBinaryModel(1);
    assertThat(dec.decode(d)).isZero();
    assertThat(dec.decode(d)).isOne();
    for (int i = 0; i < 10_000; i++) {
      assertThat(dec.decode(d)).isZero();
    }
    for (int i = 0; i < 10_000; i++) {
      assertThat(dec.decode(d)).isOne();
    }
    for (int i = 0; i < 200; i++) {
      assertThat(dec.decode(dfast)).isEqualTo(i < 100 ? 1 : 0);
    }
    dec.verifyEnd();
  }
}
