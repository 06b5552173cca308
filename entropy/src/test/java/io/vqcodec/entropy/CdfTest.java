package io.vqcodec.entropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CdfTest {

  /** The worked examples of Spec §7.8.4; changing any of these changes the bitstream. */
  @Test
  void goldenQuantizations() {
    assertThat(Cdf.quantize(new long[] {5, 0, 3, 1}).frequencies())
        .containsExactly(9320674, 1, 5592405, 1864136);
    assertThat(Cdf.quantize(new int[] {1, 1, 1}).frequencies())
        .containsExactly(5592406, 5592405, 5592405);
    assertThat(Cdf.quantize(new long[] {1}).frequencies()).containsExactly(1 << 24);
    assertThat(Cdf.quantize(new long[] {0, 7}).frequencies()).containsExactly(1, (1 << 24) - 1);
    assertThat(Cdf.quantizeProbabilities(new double[] {0.5, 0.25, 0.25, 0}).frequencies())
        .containsExactly(8388607, 4194304, 4194304, 1);
    // weight sum >= 2^39: every weight shifted right first (here by 62 - 39 = 23)
    long big = 1L << 60;
    assertThat(Cdf.quantize(new long[] {big, big - 1, 3L << 24, 0}).frequencies())
        .containsExactly(8388607, 8388607, 1, 1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 17, 255, 1024, 4096, 65535, 65536})
  void quantizationInvariantsAndReferenceAgreement(int n) {
    SplittableRandom rnd = new SplittableRandom(n);
    for (int trial = 0; trial < (n > 5000 ? 6 : 60); trial++) {
      long[] w = Scripts.randomWeights(rnd, n);
      if (trial % 7 == 0) {
        for (int i = 0; i < n; i++) {
          w[i] = rnd.nextLong((1L << 62) / n);
        }
        w[0] = Math.max(w[0], 1);
      }
      int[] f = Cdf.quantize(w).frequencies();
      assertThat(Arrays.stream(f).asLongStream().sum()).isEqualTo(1L << 24);
      assertThat(Arrays.stream(f).min().getAsInt()).isGreaterThanOrEqualTo(1);
      assertThat(Cdf.quantize(w.clone()).frequencies()).isEqualTo(f);
      assertThat(Arrays.stream(f).asLongStream().toArray()).isEqualTo(ReferenceCoder.quantize(w));
    }
  }

  @Test
  void oneDominantSymbolLeavesOneToEveryOther() {
    long[] w = new long[65536];
    w[12345] = 1;
    int[] f = Cdf.quantize(w).frequencies();
    assertThat(f[12345]).isEqualTo((1 << 24) - 65535);
    f[12345] = 1;
    assertThat(f).containsOnly(1);
  }

  @Test
  void quantizationRejectsInvalidWeights() {
    assertThatThrownBy(() -> Cdf.quantize(new long[] {0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero");
    assertThatThrownBy(() -> Cdf.quantize(new long[] {3, -1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> Cdf.quantize(new long[] {1L << 62, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2^62");
    assertThatThrownBy(() -> Cdf.quantize(new long[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cdf.quantizeProbabilities(new double[] {0.5, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Cdf.quantizeProbabilities(new double[] {Double.MAX_VALUE, Double.MAX_VALUE}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cdf.quantizeProbabilities(new double[] {0, -0.0}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Every slot of [0, 2^24) against a linear walk, for table-friendly and table-hostile CDFs. */
  @Test
  void lookupMatchesALinearWalkOnEverySlot() {
    SplittableRandom rnd = new SplittableRandom(8);
    long[] clustered = new long[65536];
    clustered[0] = 1L << 40; // 65535 symbols of frequency 1 crowd the last buckets
    Cdf[] cdfs = {
      Cdf.uniform(1), Cdf.quantize(new long[] {5, 0, 3, 1}),
          Cdf.quantize(Scripts.randomWeights(rnd, 1000)),
      Cdf.quantize(clustered), Cdf.quantize(Scripts.randomWeights(rnd, 65536)), Cdf.uniform(3000),
    };
    for (Cdf cdf : cdfs) {
      int s = 0;
      for (int slot = 0; slot < 1 << 24; slot++) {
        while (slot >= cdf.starts[s + 1]) {
          s++;
        }
        if (cdf.lookup(slot) != s) {
          throw new AssertionError(
              cdf + ": slot " + slot + " -> " + cdf.lookup(slot) + ", expected " + s);
        }
      }
    }
    assertThat(cdfs[1].symbolOf((1 << 24) - 1)).isEqualTo(3);
    assertThatThrownBy(() -> cdfs[1].symbolOf(1 << 24))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void accessorsEqualityAndToString() {
    Cdf a = Cdf.quantize(new long[] {5, 0, 3, 1});
    Cdf b = Cdf.ofFrequencies(new int[] {9320674, 1, 5592405, 1864136});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.alphabetSize()).isEqualTo(4);
    assertThat(a.start(2)).isEqualTo(9320675);
    assertThat(a.freq(1)).isEqualTo(1);
    assertThat(a.toString()).isEqualTo("Cdf[n=4, freq=9320674,1,5592405,1864136]");
    assertThatThrownBy(() -> a.freq(4)).isInstanceOf(IllegalArgumentException.class);
  }
}
