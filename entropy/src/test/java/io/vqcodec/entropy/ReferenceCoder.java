package io.vqcodec.entropy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Plain transcription of the Spec §7 pseudo-code, written for clarity, not speed: BigInteger
 * arithmetic, linear searches, no lookup tables. Tests check the production classes against it bit
 * for bit (the dav1d checkasm idea: optimised path versus reference path).
 */
final class ReferenceCoder {
  static final int P = 24;
  static final long M = 1L << P;
  static final long L = 1L << 31;

  private ReferenceCoder() {}

  /** A symbol's interval at precision P. */
  record Op(long start, long freq) {}

  // ---- §7.8.2 quantization ----
  static long[] quantize(long[] w) {
    int n = w.length;
    BigInteger sum = BigInteger.ZERO;
    for (long v : w) {
      sum = sum.add(BigInteger.valueOf(v));
    }
    int shift = Math.max(0, sum.bitLength() - 39);
    long[] ws = new long[n];
    BigInteger wsum = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      ws[i] = w[i] >> shift;
      wsum = wsum.add(BigInteger.valueOf(ws[i]));
    }
    long[] f = new long[n];
    BigInteger[] rem = new BigInteger[n];
    long total = 0;
    BigInteger spread = BigInteger.valueOf(M - n);
    for (int i = 0; i < n; i++) {
      BigInteger[] qr = BigInteger.valueOf(ws[i]).multiply(spread).divideAndRemainder(wsum);
      f[i] = 1 + qr[0].longValueExact();
      rem[i] = qr[1];
      total += f[i];
    }
    long r = M - total;
    Integer[] order =
        IntStream.range(0, n)
            .boxed()
            .sorted(
                Comparator.<Integer, BigInteger>comparing(i -> rem[i])
                    .reversed()
                    .thenComparing(i -> i))
            .toArray(Integer[]::new);
    for (int k = 0; k < r; k++) {
      f[order[k]]++;
    }
    return f;
  }

  // ---- models as plain count arrays ----
  static final class Adaptive {
    final long[] c;
    final long inc;
    final long limit;

    Adaptive(int n, int inc, int limit) {
      c = new long[n];
      java.util.Arrays.fill(c, 1);
      this.inc = inc;
      this.limit = limit;
    }

    long total() {
      long t = 0;
      for (long v : c) {
        t += v;
      }
      return t;
    }

    long cum(int s) {
      long t = 0;
      for (int i = 0; i < s; i++) {
        t += c[i];
      }
      return t;
    }

    Op op(int s) {
      long t = total();
      long lo = cum(s) * M / t;
      long hi = (cum(s) + c[s]) * M / t;
      return new Op(lo, hi - lo);
    }

    void update(int s) {
      c[s] += inc;
      if (total() > limit) {
        for (int i = 0; i < c.length; i++) {
          c[i] = (c[i] + 1) / 2;
        }
      }
    }
  }

  static final class Binary {
    long p = 32768;
    final int rate;

    Binary(int rate) {
      this.rate = rate;
    }

    Op op(int bit) {
      long f0 = p * 256;
      return bit == 0 ? new Op(0, f0) : new Op(f0, M - f0);
    }

    void update(int bit) {
      p = bit == 0 ? p + ((65536 - p) >> rate) : p - (p >> rate);
    }
  }

  static List<Op> bypass(long value, int n) {
    List<Op> ops = new ArrayList<>();
    if (n > 16) {
      ops.add(new Op((value >>> 16) << (P - (n - 16)), 1L << (P - (n - 16))));
      ops.add(new Op((value & 0xFFFF) << (P - 16), 1L << (P - 16)));
    } else if (n > 0) {
      ops.add(new Op(value << (P - n), 1L << (P - n)));
    }
    return ops;
  }

  // ---- §7.7 encoder ----
  static byte[] encode(List<Op> ops) {
    BigInteger x = BigInteger.valueOf(L);
    List<Long> words = new ArrayList<>();
    BigInteger two63 = BigInteger.ONE.shiftLeft(63);
    for (int i = ops.size() - 1; i >= 0; i--) {
      Op op = ops.get(i);
      BigInteger f = BigInteger.valueOf(op.freq());
      // renormalise iff coding would leave [L, 2^63)
      if (x.compareTo(f.shiftLeft(63 - P)) >= 0) {
        words.add(x.and(BigInteger.valueOf(0xFFFFFFFFL)).longValue());
        x = x.shiftRight(32);
      }
      BigInteger[] qr = x.divideAndRemainder(f);
      x = qr[0].multiply(BigInteger.valueOf(M)).add(qr[1]).add(BigInteger.valueOf(op.start()));
      if (x.compareTo(two63) >= 0 || x.compareTo(BigInteger.valueOf(L)) < 0) {
        throw new AssertionError("state left [L, 2^63)");
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (words.isEmpty() && x.longValue() == L) {
      return new byte[0];
    }
    byte[] head = x.toByteArray(); // big-endian, minimal with a sign byte when the top bit is set
    int k = (x.bitLength() + 7) / 8;
    out.write(head, head.length - k, k);
    for (int i = words.size() - 1; i >= 0; i--) {
      long v = words.get(i);
      out.write((int) (v >>> 24));
      out.write((int) (v >>> 16));
      out.write((int) (v >>> 8));
      out.write((int) v);
    }
    return out.toByteArray();
  }

  // ---- §7.3 to §7.6 decoder over an explicit model sequence ----
  static final class Decoder {
    final byte[] b;
    int pos;
    long x;

    Decoder(byte[] b) {
      this.b = b.clone();
      int n = b.length;
      if (n == 0) {
        x = L;
        return;
      }
      if (n < 4) {
        throw new IllegalStateException("short");
      }
      int k;
      if (n % 4 != 0) {
        k = 4 + n % 4;
      } else {
        k = (b[0] & 0x80) != 0 ? 4 : 8;
      }
      if (k > n || (k > 4 && b[0] == 0)) {
        throw new IllegalStateException("bad head");
      }
      for (int i = 0; i < k; i++) {
        x = x * 256 + (b[i] & 0xFF);
      }
      pos = k;
    }

    long slot() {
      return x % M;
    }

    void advance(Op op) {
      long slot = x % M;
      if (slot < op.start() || slot >= op.start() + op.freq()) {
        throw new AssertionError("slot outside the decoded symbol's interval");
      }
      x = op.freq() * (x / M) + slot - op.start();
      if (x < L) {
        if (pos + 4 > b.length) {
          throw new IllegalStateException("truncated");
        }
        for (int i = 0; i < 4; i++) {
          x = x * 256 + (b[pos++] & 0xFF);
        }
      }
    }

    int decode(long[] freq) {
      long slot = slot();
      long start = 0;
      for (int s = 0; ; s++) {
        if (slot < start + freq[s]) {
          advance(new Op(start, freq[s]));
          return s;
        }
        start += freq[s];
      }
    }

    int decode(Adaptive m) {
      long slot = slot();
      long t = m.total();
      long cum = 0;
      for (int s = 0; ; s++) {
        long lo = cum * M / t;
        cum += m.c[s];
        long hi = cum * M / t;
        if (slot < hi) {
          advance(new Op(lo, hi - lo));
          m.update(s);
          return s;
        }
      }
    }

    int decode(Binary m) {
      int bit = slot() < m.p * 256 ? 0 : 1;
      advance(m.op(bit));
      m.update(bit);
      return bit;
    }

    long decodeBits(int n) {
      long v = 0;
      for (Op ignored : bypass(0, n)) {
        long f = ignored.freq();
        long chunk = slot() / f;
        advance(new Op(chunk * f, f));
        v = (v << (P - Long.numberOfTrailingZeros(f))) | chunk;
      }
      return v;
    }

    boolean ended() {
      return pos == b.length && x == L;
    }
  }
}
