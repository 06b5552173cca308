package io.vqcodec.tokens;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The parameters of the Gaussian-mixture context prior (prob_model_id 2), Spec §8.3.2: per codebook
 * level the integer codewords, static frequencies, kernel tables and mixture weights. Immutable and
 * thread-safe; every value that feeds the coder is an integer.
 *
 * <p>Derived per-level data (the distance-index row of a codeword and the kernel normalisers, Spec
 * §8.3.2.3) is computed lazily on first use and cached; two threads computing the same row get
 * identical arrays, so the race is benign.
 */
public final class ContextPrior implements TokenModel {
  static final int MAGIC = 0x56515052; // "VQPR"
  static final int VERSION = 1;

  /** Component types per pass (Spec §8.3.2.4): pass 0 coarse, 1 fine anchors, 2 fine others. */
  public static final int[] TYPES = {4, 6, 6};

  /** First global table index of each pass. */
  public static final int[] TYPE_BASE = {0, 4, 10};

  /**
   * Kernel tables: 16 neighbour types, then one predicted-mean table per pass (index 16 + pass).
   */
  public static final int TABLES = 19;

  public static final int MEAN_TABLE = 16;

  /** Fixed-point bits of the mean coefficients beta. */
  public static final int BETA_BITS = 12;

  static final int MAX_LEVELS = 8;
  static final int MAX_K = 65536;
  static final int MAX_DIM = 64;
  static final int MAX_THRESHOLDS = 8;

  /** Codeword values lie in [-MAX_CODE, MAX_CODE]; predicted means are clamped to [-2048, 2047]. */
  static final int MAX_CODE = 2047;

  /** Largest accepted parameter file (the released one is 0.67 MB). */
  static final int MAX_FILE = 1 << 28;

  /**
   * One codebook level's parameters (Spec §8.3.2.2). Made by {@link #load} and, offline, by the
   * prior fitting tool; opaque otherwise.
   */
  public static final class Level {
    final int k;
    final int dim;
    final int dshift;
    final int tlen;
    final short[] code; // k * dim
    final int[][] codeT; // [dim][k], the same values transposed for the mean component's loop
    final long[][] freq; // [0 coarse | 1 fine][k], each >= 1
    final long[] freqSum;
    final int[][] table; // [TABLES][tlen], 0..65535, table[g][0] >= 1
    final int[][] thresholds; // [pass][n], increasing, >= 1
    final int[][] weights; // [pass][(mask * buckets + bucket) * (types + 3) + j]
    final short[][] beta; // [pass][mask * types + i], Q12
    private final AtomicReferenceArray<Row> rows;

    public Level(
        int k,
        int dim,
        int dshift,
        int tlen,
        short[] code,
        long[][] freq,
        int[][] table,
        int[][] thresholds,
        short[][] beta,
        int[][] weights) {
      this.k = k;
      this.dim = dim;
      this.dshift = dshift;
      this.tlen = tlen;
      this.code = code;
      this.codeT = new int[dim][k];
      for (int t = 0; t < k; t++) {
        for (int j = 0; j < dim; j++) codeT[j][t] = code[t * dim + j];
      }
      this.freq = freq;
      this.freqSum = new long[] {sum(freq[0]), sum(freq[1])};
      this.table = table;
      this.thresholds = thresholds;
      this.weights = weights;
      this.beta = beta;
      this.rows = new AtomicReferenceArray<>(k);
    }

    /** The codebook size K of this level. */
    public int codebookSize() {
      return k;
    }

    /** Dimensions of a codeword. */
    public int dim() {
      return dim;
    }

    /** A copy of the integer codewords, {@code code[t * dim + j]} (Spec §8.3.2.2). */
    public short[] codewords() {
      return code.clone();
    }

    int buckets(int pass) {
      return thresholds[pass].length + 2;
    }

    /**
     * Weight j of the class (mask, bucket) of a pass: 0 = static component, 1 + i = neighbour type
     * i, types + 1 = predicted mean, types + 2 = adaptive slice counts.
     */
    int weight(int pass, int mask, int bucket, int j) {
      return weights[pass][(mask * buckets(pass) + bucket) * (TYPES[pass] + 3) + j];
    }

    /** Distance index row of codeword u and its normalisers, Spec §8.3.2.3. */
    Row row(int u) {
      Row r = rows.get(u);
      if (r == null) {
        r = computeRow(u);
        rows.set(u, r);
      }
      return r;
    }

    /**
     * Spec §8.3.2.3: didx(u, t) and Z[g][u]. The codewords are bucketed by distance index, so that
     * Z[g][u] = sum over indices i of count(i) * table[g][i], and a kernel component visits whole
     * buckets (in distance order, not codeword order, which changes nothing: the weights it feeds
     * are exact integer sums). About 2 * K + 4 * tlen bytes per row, whatever the tables hold.
     */
    private Row computeRow(int u) {
      // Squared distances, dimension by dimension so that the JIT vectorises the inner loop; they
      // fit an int: dim <= 64 and |difference| <= 4094.
      int[] d2 = new int[k];
      for (int j = 0; j < dim; j++) {
        int cu = code[u * dim + j];
        int[] c = codeT[j];
        for (int t = 0; t < k; t++) {
          int e = cu - c[t];
          d2[t] += e * e;
        }
      }
      char[] d = new char[k];
      int[] first = new int[tlen + 1];
      for (int t = 0; t < k; t++) {
        int i = didx(d2[t]);
        d[t] = (char) i;
        first[i + 1]++;
      }
      for (int i = 0; i < tlen; i++) first[i + 1] += first[i];
      char[] byIndex = new char[k];
      int[] next = Arrays.copyOf(first, tlen);
      for (int t = 0; t < k; t++) byIndex[next[d[t]]++] = (char) t;
      long[] z = new long[MEAN_TABLE];
      for (int g = 0; g < MEAN_TABLE; g++) {
        int[] tb = table[g];
        long acc = 0;
        for (int i = 0; i < tlen; i++) acc += (long) (first[i + 1] - first[i]) * tb[i];
        z[g] = acc;
      }
      return new Row(d, z, byIndex, first);
    }

    int didx(long d2) {
      if (d2 == 0) return 0;
      long i = 1 + (d2 >> dshift);
      return (int) Math.min(tlen - 1, i);
    }
  }

  /**
   * didx(u, .) over the codebook, the kernel normalisers Z[g] = sum_t table[g][didx(u, t)], and the
   * codewords ordered by distance index ({@code byIndex}; those of index i at {@code [first[i],
   * first[i + 1])}): a kernel component adds {@code table[g][i]} to each codeword of bucket i.
   * Codebook sizes are at most 65536, so a codeword fits a char.
   */
  record Row(char[] didx, long[] z, char[] byIndex, int[] first) {}

  private final Level[] levels;
  private final byte[] sha256;

  private ContextPrior(Level[] levels, byte[] sha256) {
    this.levels = levels;
    this.sha256 = sha256;
  }

  /**
   * Reads a prior parameter file (Spec §8.3.2.2), validating every count and size before allocating
   * and every value against its range.
   *
   * @throws IOException if the file is truncated, has trailing bytes or any field is out of range
   */
  public static ContextPrior load(InputStream raw) throws IOException {
    byte[] all = raw.readNBytes(MAX_FILE + 1);
    if (all.length > MAX_FILE)
      throw new IOException("prior file larger than " + MAX_FILE + " bytes");
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
    try {
      if (in.readInt() != MAGIC) throw new IOException("not a prior file (magic)");
      int version = in.readInt();
      if (version != VERSION)
        throw new IOException("prior file version " + version + " unsupported");
      int nl = in.readUnsignedByte();
      if (nl < 1 || nl > MAX_LEVELS)
        throw new IOException("level count " + nl + " outside 1.." + MAX_LEVELS);
      Level[] levels = new Level[nl];
      for (int l = 0; l < nl; l++) {
        int k = in.readInt(),
            dim = in.readUnsignedByte(),
            dshift = in.readUnsignedByte(),
            tlen = in.readUnsignedShort();
        if (k < 2 || k > MAX_K) throw new IOException("K = " + k + " outside 2.." + MAX_K);
        for (int j = 0; j < l; j++) {
          if (levels[j].k == k) throw new IOException("level K = " + k + " twice");
        }
        if (dim < 1 || dim > MAX_DIM)
          throw new IOException("dim " + dim + " outside 1.." + MAX_DIM);
        if (dshift > 40) throw new IOException("dshift " + dshift + " > 40");
        if (tlen < 2) throw new IOException("table length " + tlen + " < 2");
        // code (2 bytes each), F (2 x K x 4 bytes), the kernel tables (Spec §8.3.2.2)
        need(in, (long) k * dim * 2 + 8L * k + (long) TABLES * tlen * 2);
        short[] code = new short[k * dim];
        for (int i = 0; i < code.length; i++) {
          code[i] = in.readShort();
          if (code[i] < -MAX_CODE || code[i] > MAX_CODE)
            throw new IOException("codeword value " + code[i] + " outside +-" + MAX_CODE);
        }
        long[][] freq = new long[2][k];
        for (int g = 0; g < 2; g++) {
          long s = 0;
          for (int t = 0; t < k; t++) {
            long f = in.readInt() & 0xFFFFFFFFL;
            if (f < 1) throw new IOException("static frequency 0 at level " + k);
            freq[g][t] = f;
            s += f;
          }
          if (s > 1L << 32)
            throw new IOException("static frequencies sum above 2^32 at level " + k);
        }
        int[][] table = new int[TABLES][tlen];
        for (int g = 0; g < TABLES; g++) {
          for (int i = 0; i < tlen; i++) table[g][i] = in.readUnsignedShort();
          if (table[g][0] < 1) throw new IOException("kernel table " + g + " has table[0] = 0");
        }
        int[][] thr = new int[3][];
        int[][] weights = new int[3][];
        short[][] beta = new short[3][];
        for (int p = 0; p < 3; p++) {
          int nt = in.readUnsignedByte();
          if (nt > MAX_THRESHOLDS)
            throw new IOException("threshold count " + nt + " > " + MAX_THRESHOLDS);
          thr[p] = new int[nt];
          for (int i = 0; i < nt; i++) {
            thr[p][i] = in.readInt();
            if (thr[p][i] < 1 || (i > 0 && thr[p][i] <= thr[p][i - 1])) {
              throw new IOException("thresholds must increase from 1");
            }
          }
          int nb = (1 << TYPES[p]) * TYPES[p];
          need(in, 2L * nb);
          beta[p] = new short[nb];
          for (int i = 0; i < nb; i++) beta[p][i] = in.readShort();
          int n = (1 << TYPES[p]) * (nt + 2) * (TYPES[p] + 3);
          need(in, 2L * n);
          weights[p] = new int[n];
          for (int i = 0; i < n; i++) {
            weights[p][i] = in.readUnsignedShort();
            if (i % (TYPES[p] + 3) == 0 && weights[p][i] < 1)
              throw new IOException("static weight 0");
          }
        }
        levels[l] = new Level(k, dim, dshift, tlen, code, freq, table, thr, beta, weights);
      }
      if (in.available() != 0)
        throw new IOException(in.available() + " trailing bytes in prior file");
      return new ContextPrior(levels, ModelPackage.sha256(all));
    } catch (EOFException e) {
      throw new IOException("prior file truncated", e);
    }
  }

  private static void need(DataInputStream in, long bytes) throws IOException {
    if (in.available() < bytes)
      throw new IOException("prior file truncated: need " + bytes + " more bytes");
  }

  /** Codebook sizes this prior covers, in file order. */
  public int[] codebookSizes() {
    int[] k = new int[levels.length];
    for (int i = 0; i < k.length; i++) k[i] = levels[i].k;
    return k;
  }

  /** SHA-256 of the parameter file as loaded. */
  public byte[] sha256() {
    return sha256.clone();
  }

  @Override
  public boolean hasLevel(int k) {
    for (Level l : levels) {
      if (l.k == k) return true;
    }
    return false;
  }

  /** The parameters of codebook level {@code k}; IllegalArgumentException if the prior has none. */
  public Level level(int k) {
    for (Level l : levels) {
      if (l.k == k) return l;
    }
    throw new IllegalArgumentException("prior has no level K = " + k);
  }

  Level[] levels() {
    return levels;
  }

  /**
   * The prior of {@code levels}, through its parameter file: {@link #serialize} then {@link #load},
   * so that every value is validated as a decoder would.
   *
   * @throws IOException if a parameter is out of the ranges Spec §8.3.2.2 allows
   */
  public static ContextPrior of(Level[] levels) throws IOException {
    return load(new ByteArrayInputStream(serialize(levels)));
  }

  /** The parameter file of Spec §8.3.2.2 (the mirror of {@link #load}). */
  public static byte[] serialize(Level[] levels) {
    try {
      ByteArrayOutputStream bo = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bo);
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeByte(levels.length);
      for (Level l : levels) {
        out.writeInt(l.k);
        out.writeByte(l.dim);
        out.writeByte(l.dshift);
        out.writeShort(l.tlen);
        for (short v : l.code) out.writeShort(v);
        for (int g = 0; g < 2; g++) {
          for (long f : l.freq[g]) out.writeInt((int) f);
        }
        for (int[] tb : l.table) {
          for (int v : tb) out.writeShort(v);
        }
        for (int p = 0; p < 3; p++) {
          out.writeByte(l.thresholds[p].length);
          for (int v : l.thresholds[p]) out.writeInt(v);
          for (short v : l.beta[p]) out.writeShort(v);
          for (int v : l.weights[p]) out.writeShort(v);
        }
      }
      out.flush();
      return bo.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e); // a byte array stream does not fail
    }
  }

  private static long sum(long[] a) {
    long s = 0;
    for (long v : a) s += v;
    return s;
  }
}
