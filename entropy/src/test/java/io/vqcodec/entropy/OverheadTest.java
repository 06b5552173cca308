package io.vqcodec.entropy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Compressed size versus the information content sum(-log2 p), p = freq / 2^24 (Spec §7.1). */
class OverheadTest {

  private static double bits(Cdf cdf, int s) {
    return 24 - Math.log(cdf.freq(s)) / Math.log(2);
  }

  private static double overheadPercent(Cdf[] cdfs, int n, long seed) throws Exception {
    SplittableRandom rnd = new SplittableRandom(seed);
    RansEncoder enc = new RansEncoder(n);
    int[] symbols = new int[n];
    double info = 0;
    for (int i = 0; i < n; i++) {
      Cdf c = cdfs[i % cdfs.length];
      symbols[i] = Scripts.sample(rnd, c);
      info += bits(c, symbols[i]);
      enc.encode(c, symbols[i]);
    }
    byte[] bytes = enc.finish();
    RansDecoder dec = new RansDecoder(bytes, 0, bytes.length);
    for (int i = 0; i < n; i++) {
      assertThat(dec.decode(cdfs[i % cdfs.length])).isEqualTo(symbols[i]);
    }
    dec.verifyEnd();
    return 100 * (bytes.length * 8 - info) / info;
  }

  @Test
  void staticCdfOverheadIsFarBelowTheTarget() throws Exception {
    double[] p = new double[1024];
    for (int i = 0; i < p.length; i++) {
      p[i] = 1 / Math.pow(i + 1, 1.1);
    }
    double pct = overheadPercent(new Cdf[] {Cdf.quantizeProbabilities(p)}, 1_000_000, 1);
    System.out.printf("static 1024-symbol CDF, 1e6 symbols: overhead %.5f%%%n", pct);
    assertThat(pct).isBetween(-0.001, 0.3);
    assertThat(pct).isLessThan(0.01);
  }

  @Test
  void perSymbolCdfOverheadIsFarBelowTheTarget() throws Exception {
    SplittableRandom rnd = new SplittableRandom(2);
    Cdf[] pool = new Cdf[64];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = Cdf.quantize(Scripts.randomWeights(rnd, 1 + rnd.nextInt(2048)));
    }
    double pct = overheadPercent(pool, 500_000, 3);
    System.out.printf("64 CDFs in turn, 5e5 symbols: overhead %.5f%%%n", pct);
    assertThat(pct).isBetween(-0.001, 0.3);
  }

  @Test
  void nearCertainSymbolsCostWhatTheyShould() throws Exception {
    Cdf skew = Cdf.ofFrequencies(new int[] {(1 << 24) - (1 << 14), 1 << 14}); // p(1) = 2^-10
    double pct = overheadPercent(new Cdf[] {skew}, 2_000_000, 4);
    System.out.printf("p = 1 - 2^-10, 2e6 symbols: overhead %.5f%%%n", pct);
    assertThat(pct).isBetween(-0.001, 0.3);
  }
}
