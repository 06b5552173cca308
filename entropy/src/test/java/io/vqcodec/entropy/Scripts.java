package io.vqcodec.entropy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random mixed symbol streams, coded by the production classes and by {@link ReferenceCoder}. */
final class Scripts {
  private Scripts() {}

  enum Kind {
    CDF,
    ADAPTIVE,
    BINARY,
    BITS
  }

  /** One coded value: kind, which model (index into the script's lists) or bit count, value. */
  record Step(Kind kind, int model, long value) {}

  record AdaptiveSpec(int n, int increment, int limit) {}

  static final class Script {
    final List<Cdf> cdfs = new ArrayList<>();
    final List<AdaptiveSpec> adaptives = new ArrayList<>();
    final List<Integer> binaryRates = new ArrayList<>();
    final List<Step> steps = new ArrayList<>();

    byte[] encode() {
      RansEncoder enc = new RansEncoder(4);
      encodeInto(enc);
      return enc.finish();
    }

    void encodeInto(RansEncoder enc) {
      AdaptiveModel[] am = newAdaptives();
      AdaptiveBinaryModel[] bm = newBinaries();
      for (Step st : steps) {
        switch (st.kind()) {
          case CDF -> enc.encode(cdfs.get(st.model()), (int) st.value());
          case ADAPTIVE -> enc.encode(am[st.model()], (int) st.value());
          case BINARY -> enc.encode(bm[st.model()], (int) st.value());
          case BITS -> enc.encodeBits((int) st.value(), st.model());
        }
      }
    }

    /** Decodes every step and checks its value; then verifies the end. */
    void decodeAndCheck(byte[] buf, int off, int len) throws EntropyDecodingException {
      RansDecoder dec = new RansDecoder(buf, off, len);
      AdaptiveModel[] am = newAdaptives();
      AdaptiveBinaryModel[] bm = newBinaries();
      for (int i = 0; i < steps.size(); i++) {
        Step st = steps.get(i);
        long got = decodeStep(dec, am, bm, st);
        if (got != st.value()) {
          throw new AssertionError("step " + i + " " + st + ": decoded " + got);
        }
      }
      dec.verifyEnd();
    }

    /** Decodes every step, not checking values (for corrupt input); then verifies the end. */
    long[] decodeBlind(byte[] buf, int off, int len) throws EntropyDecodingException {
      RansDecoder dec = new RansDecoder(buf, off, len);
      AdaptiveModel[] am = newAdaptives();
      AdaptiveBinaryModel[] bm = newBinaries();
      long[] values = new long[steps.size()];
      for (int i = 0; i < values.length; i++) {
        Step st = steps.get(i);
        long v = decodeStep(dec, am, bm, st);
        if (st.kind() == Kind.CDF && (v < 0 || v >= cdfs.get(st.model()).alphabetSize())) {
          throw new AssertionError("decoded symbol out of range: " + v);
        }
        values[i] = v;
      }
      dec.verifyEnd();
      return values;
    }

    long decodeStep(RansDecoder dec, AdaptiveModel[] am, AdaptiveBinaryModel[] bm, Step st)
        throws EntropyDecodingException {
      return switch (st.kind()) {
        case CDF -> dec.decode(cdfs.get(st.model()));
        case ADAPTIVE -> dec.decode(am[st.model()]);
        case BINARY -> dec.decode(bm[st.model()]);
        case BITS -> dec.decodeBits(st.model()) & 0xFFFF_FFFFL;
      };
    }

    List<ReferenceCoder.Op> referenceOps() {
      ReferenceCoder.Adaptive[] am = refAdaptives();
      ReferenceCoder.Binary[] bm = refBinaries();
      List<ReferenceCoder.Op> ops = new ArrayList<>();
      for (Step st : steps) {
        switch (st.kind()) {
          case CDF -> {
            Cdf c = cdfs.get(st.model());
            int s = (int) st.value();
            ops.add(new ReferenceCoder.Op(c.start(s), c.freq(s)));
          }
          case ADAPTIVE -> {
            ops.add(am[st.model()].op((int) st.value()));
            am[st.model()].update((int) st.value());
          }
          case BINARY -> {
            ops.add(bm[st.model()].op((int) st.value()));
            bm[st.model()].update((int) st.value());
          }
          case BITS -> ops.addAll(ReferenceCoder.bypass(st.value(), st.model()));
        }
      }
      return ops;
    }

    /** The reference decoder reproduces every value and ends properly. */
    void referenceDecodeAndCheck(byte[] bytes) {
      ReferenceCoder.Decoder dec = new ReferenceCoder.Decoder(bytes);
      ReferenceCoder.Adaptive[] am = refAdaptives();
      ReferenceCoder.Binary[] bm = refBinaries();
      long[][] freqs = new long[cdfs.size()][];
      for (int c = 0; c < freqs.length; c++) {
        freqs[c] = java.util.Arrays.stream(cdfs.get(c).frequencies()).asLongStream().toArray();
      }
      for (int i = 0; i < steps.size(); i++) {
        Step st = steps.get(i);
        long got =
            switch (st.kind()) {
              case CDF -> dec.decode(freqs[st.model()]);
              case ADAPTIVE -> dec.decode(am[st.model()]);
              case BINARY -> dec.decode(bm[st.model()]);
              case BITS -> dec.decodeBits(st.model());
            };
        if (got != st.value()) {
          throw new AssertionError("reference decoder, step " + i + " " + st + ": decoded " + got);
        }
      }
      if (!dec.ended()) {
        throw new AssertionError("reference decoder did not end properly");
      }
    }

    /** Sum of -log2 p over the steps, p the coded probability at precision 24. */
    double informationBits() {
      double bits = 0;
      for (ReferenceCoder.Op op : referenceOps()) {
        bits += ReferenceCoder.P - Math.log(op.freq()) / Math.log(2);
      }
      return bits;
    }

    AdaptiveModel[] newAdaptives() {
      AdaptiveModel[] m = new AdaptiveModel[adaptives.size()];
      for (int i = 0; i < m.length; i++) {
        AdaptiveSpec a = adaptives.get(i);
        m[i] = new AdaptiveModel(a.n(), a.increment(), a.limit());
      }
      return m;
    }

    AdaptiveBinaryModel[] newBinaries() {
      AdaptiveBinaryModel[] m = new AdaptiveBinaryModel[binaryRates.size()];
      for (int i = 0; i < m.length; i++) {
        m[i] = new AdaptiveBinaryModel(binaryRates.get(i));
      }
      return m;
    }

    ReferenceCoder.Adaptive[] refAdaptives() {
      ReferenceCoder.Adaptive[] m = new ReferenceCoder.Adaptive[adaptives.size()];
      for (int i = 0; i < m.length; i++) {
        AdaptiveSpec a = adaptives.get(i);
        m[i] = new ReferenceCoder.Adaptive(a.n(), a.increment(), a.limit());
      }
      return m;
    }

    ReferenceCoder.Binary[] refBinaries() {
      ReferenceCoder.Binary[] m = new ReferenceCoder.Binary[binaryRates.size()];
      for (int i = 0; i < m.length; i++) {
        m[i] = new ReferenceCoder.Binary(binaryRates.get(i));
      }
      return m;
    }
  }

  /**
   * Random weights of one of several shapes: flat, Zipf, geometric (extreme skew), sparse, spike.
   */
  static long[] randomWeights(SplittableRandom rnd, int n) {
    long[] w = new long[n];
    int shape = rnd.nextInt(5);
    for (int i = 0; i < n; i++) {
      w[i] =
          switch (shape) {
            case 0 -> rnd.nextLong(1, 1000);
            case 1 -> (long) (1e9 / StrictMath.pow(i + 1, 0.5 + 2 * rnd.nextDouble()));
            case 2 -> i < 62 ? 1L << (61 - i) : 0;
            case 3 -> rnd.nextInt(10) == 0 ? rnd.nextLong(1L << 40) : 0;
            default -> i == 0 ? 1L << 50 : rnd.nextInt(3);
          };
    }
    if (shape == 3) {
      w[rnd.nextInt(n)] += 1;
    }
    return w;
  }

  /** Draws a symbol with probability freq / 2^24. */
  static int sample(SplittableRandom rnd, Cdf cdf) {
    return cdf.lookup(rnd.nextInt(Rans.TOTAL));
  }

  static Script random(long seed, int maxSteps) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Script sc = new Script();
    int nCdfs = 1 + rnd.nextInt(4);
    for (int i = 0; i < nCdfs; i++) {
      int n =
          rnd.nextInt(8) == 0
              ? 1 + rnd.nextInt(65536)
              : 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 2000);
      sc.cdfs.add(Cdf.quantize(randomWeights(rnd, n)));
    }
    int nAdaptive = rnd.nextInt(3);
    for (int i = 0; i < nAdaptive; i++) {
      int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 1500);
      int inc = 1 + rnd.nextInt(64);
      int limit = n + inc + rnd.nextInt(rnd.nextBoolean() ? 200 : 70000);
      sc.adaptives.add(new AdaptiveSpec(n, inc, limit));
    }
    int nBinary = rnd.nextInt(3);
    for (int i = 0; i < nBinary; i++) {
      sc.binaryRates.add(1 + rnd.nextInt(8));
    }
    int steps = rnd.nextInt(maxSteps + 1);
    // a skewed hidden source per adaptive model so that adaptation matters
    Cdf[] adaptiveSources = new Cdf[nAdaptive];
    for (int i = 0; i < nAdaptive; i++) {
      adaptiveSources[i] = Cdf.quantize(randomWeights(rnd, sc.adaptives.get(i).n()));
    }
    double[] pOne = rnd.doubles(nBinary).toArray();
    for (int i = 0; i < steps; i++) {
      int k = rnd.nextInt(10);
      if (k < 5 || (nAdaptive == 0 && nBinary == 0 && k < 9)) {
        int m = rnd.nextInt(nCdfs);
        sc.steps.add(new Step(Kind.CDF, m, sample(rnd, sc.cdfs.get(m))));
      } else if (k < 7 && nAdaptive > 0) {
        int m = rnd.nextInt(nAdaptive);
        sc.steps.add(new Step(Kind.ADAPTIVE, m, sample(rnd, adaptiveSources[m])));
      } else if (k < 9 && nBinary > 0) {
        int m = rnd.nextInt(nBinary);
        sc.steps.add(new Step(Kind.BINARY, m, rnd.nextDouble() < pOne[m] ? 1 : 0));
      } else {
        int bits = rnd.nextInt(33);
        long v = bits == 0 ? 0 : rnd.nextLong(1L << bits);
        sc.steps.add(new Step(Kind.BITS, bits, v));
      }
    }
    return sc;
  }
}
