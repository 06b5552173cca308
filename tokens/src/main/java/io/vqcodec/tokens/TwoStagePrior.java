package io.vqcodec.tokens;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The parameters of the two-stage log-linear token model, prob_model_id 3 (Spec §8.3.3): per
 * codebook level a partition of the codewords into groups, integer cost tables and mixing weights.
 * A token is coded as its group, then its rank within the group; each stage's distribution is a
 * product of experts evaluated in integers (Spec §8.3.3.4). Immutable and thread-safe; the
 * per-group distance tables are computed on first use.
 */
public final class TwoStagePrior implements TokenModel {
  static final int MAGIC = 0x56514753; // "VQGS"

  /** Version 1 has no temporal expert; version 2 adds one per level that has it (Spec §8.3.3.2). */
  static final int VERSION = 1;

  static final int VERSION_TEMPORAL = 2;
  static final int MAX_LEVELS = 8;
  static final int MAX_K = 65536;
  static final int MAX_GROUPS = 4096;
  static final int MAX_DIM = 64;
  static final int MAX_CODE = 2047;

  /** Entries of each adaptive-count table (counts above are clamped, Spec §8.3.3.4). */
  public static final int ADAPT_LEN = 256;

  static final int MAX_EXP_LEN = 65535;
  static final int MAX_FILE = 1 << 28;

  /** Features per stage-1 class: static, one per neighbour type, adaptive (Spec §8.3.3.4). */
  public static int stage1Features(int pass) {
    return ContextPrior.TYPES[pass] + 2;
  }

  /** Features per stage-2 class: static, adaptive, repeat and distance per neighbour type. */
  public static int stage2Features(int pass) {
    return 2 + 2 * ContextPrior.TYPES[pass];
  }

  /**
   * Features per stage-1 class of a token with a reference token (Spec §8.3.3.4): those of {@link
   * #stage1Features}, then the reference's group transition.
   */
  public static int stage1TemporalFeatures(int pass) {
    return stage1Features(pass) + 1;
  }

  /**
   * Features per stage-2 class of a token whose reference token is in its group: those of {@link
   * #stage2Features}, then the distance to the reference.
   */
  public static int stage2TemporalFeatures(int pass) {
    return stage2Features(pass) + 1;
  }

  /** One codebook level's parameters (Spec §8.3.3.2). */
  public static final class Level {
    final int k;
    final int groups;
    final int dim;
    final int dshift;
    final short[] code; // k * dim
    final char[] group; // [k]
    final int[][] members; // [group] codewords in increasing order
    final char[] rank; // [k] position of a codeword in its group
    final int[][] cost1; // [g][groups]
    final int[][][] trans; // [pass][type][a * groups + s]
    final int[][] cost2; // [g][k]
    final int[] adapt1;
    final int[] adapt2;
    final short[][] lambda1; // [pass][mask * stage1Features + j]
    final short[][] lambda2; // [pass][inMask * stage2Features + j]
    final long[] exp;
    // The temporal expert (Spec §8.3.3.2, version 2), all null in a level without one.
    final int[][] ttrans; // [g][a * groups + s]
    final short[][] lambdaT1; // [pass][mask * stage1TemporalFeatures + j]
    final short[][] lambdaT2; // [pass][inMask * stage2TemporalFeatures + j]
    private final AtomicReferenceArray<char[]> distances; // per group, n * n

    public Level(
        int k,
        int groups,
        int dim,
        int dshift,
        short[] code,
        char[] group,
        int[][] cost1,
        int[][][] trans,
        int[][] cost2,
        int[] adapt1,
        int[] adapt2,
        short[][] lambda1,
        short[][] lambda2,
        long[] exp) {
      this(
          k, groups, dim, dshift, code, group, cost1, trans, cost2, adapt1, adapt2, lambda1,
          lambda2, exp, null, null, null);
    }

    /**
     * A level with a temporal expert (Spec §8.3.3.4): {@code ttrans[g][a * groups + s]}, and the
     * weights of tokens that have a reference token; all three null for a level without one.
     */
    public Level(
        int k,
        int groups,
        int dim,
        int dshift,
        short[] code,
        char[] group,
        int[][] cost1,
        int[][][] trans,
        int[][] cost2,
        int[] adapt1,
        int[] adapt2,
        short[][] lambda1,
        short[][] lambda2,
        long[] exp,
        int[][] ttrans,
        short[][] lambdaT1,
        short[][] lambdaT2) {
      if ((ttrans == null) != (lambdaT1 == null) || (ttrans == null) != (lambdaT2 == null))
        throw new IllegalArgumentException("a temporal expert needs ttrans and both weight sets");
      this.k = k;
      this.groups = groups;
      this.dim = dim;
      this.dshift = dshift;
      this.code = code;
      this.group = group;
      this.cost1 = cost1;
      this.trans = trans;
      this.cost2 = cost2;
      this.adapt1 = adapt1;
      this.adapt2 = adapt2;
      this.lambda1 = lambda1;
      this.lambda2 = lambda2;
      this.exp = exp;
      this.ttrans = ttrans;
      this.lambdaT1 = lambdaT1;
      this.lambdaT2 = lambdaT2;
      int[] size = new int[groups];
      for (int t = 0; t < k; t++) size[group[t]]++;
      this.members = new int[groups][];
      for (int s = 0; s < groups; s++) members[s] = new int[size[s]];
      this.rank = new char[k];
      int[] fill = new int[groups];
      for (int t = 0; t < k; t++) {
        int s = group[t];
        rank[t] = (char) fill[s];
        members[s][fill[s]++] = t;
      }
      this.distances = new AtomicReferenceArray<>(groups);
    }

    /** The codebook size K. */
    public int codebookSize() {
      return k;
    }

    /** Whether the level has a temporal expert (Spec §8.3.3.2, version 2). */
    public boolean hasTemporal() {
      return ttrans != null;
    }

    /**
     * The same level with the temporal expert {@code ttrans}, {@code lambdaT1}, {@code lambdaT2}.
     */
    public Level withTemporal(int[][] ttrans, short[][] lambdaT1, short[][] lambdaT2) {
      return new Level(
          k, groups, dim, dshift, code, group, cost1, trans, cost2, adapt1, adapt2, lambda1,
          lambda2, exp, ttrans, lambdaT1, lambdaT2);
    }

    /** The number of groups G. */
    public int groupCount() {
      return groups;
    }

    /** The group of codeword {@code t}. */
    public int group(int t) {
      return group[t];
    }

    /** The position of codeword {@code t} in its group (Spec §8.3.3.2 rank). */
    public int rank(int t) {
      return rank[t];
    }

    /** The codewords of group {@code s}, increasing. */
    public int[] members(int s) {
      return members[s].clone();
    }

    /** Spec §8.3.3.2 cost1[g][s]. */
    public int cost1(int g, int s) {
      return cost1[g][s];
    }

    /** Spec §8.3.3.2 cost2[g][t]. */
    public int cost2(int g, int t) {
      return cost2[g][t];
    }

    /** Spec §8.3.3.2 trans[p][i][a][s]. */
    public int trans(int p, int i, int a, int s) {
      return trans[p][i][a * groups + s];
    }

    /** Spec §8.3.3.2 adapt1[c] and adapt2[c]: {@code stage} 1 or 2. */
    public int adapt(int stage, int c) {
      return (stage == 1 ? adapt1 : adapt2)[c];
    }

    /** Spec §8.3.3.2 dshift. */
    public int dshift() {
      return dshift;
    }

    /** Spec §8.3.3.3 dist(a, b) for two codewords of one group. */
    public int dist(int a, int b) {
      int s = group[a];
      if (group[b] != s) throw new IllegalArgumentException("codewords in different groups");
      return distances(s)[rank[a] * members[s].length + rank[b]];
    }

    /**
     * Spec §8.3.3.3: dist(a, b) = min(65535, d2(a, b) >> dshift) for every pair of members of group
     * {@code s}, {@code [rank(a) * n + rank(b)]}. Depends on the parameters only.
     */
    char[] distances(int s) {
      char[] d = distances.get(s);
      if (d == null) {
        int[] m = members[s];
        int n = m.length;
        d = new char[n * n];
        for (int a = 0; a < n; a++) {
          for (int b = 0; b < n; b++) {
            long d2 = 0;
            for (int j = 0; j < dim; j++) {
              long x = code[m[a] * dim + j] - code[m[b] * dim + j];
              d2 += x * x;
            }
            d[a * n + b] = (char) Math.min(65535, d2 >> dshift);
          }
        }
        distances.set(s, d);
      }
      return d;
    }
  }

  private final Level[] levels;
  private final byte[] sha256;

  private TwoStagePrior(Level[] levels, byte[] sha256) {
    this.levels = levels;
    this.sha256 = sha256;
  }

  /** The parameters of codebook level {@code k}; IllegalArgumentException if there are none. */
  public Level level(int k) {
    for (Level l : levels) {
      if (l.k == k) return l;
    }
    throw new IllegalArgumentException("two-stage prior has no level K = " + k);
  }

  /** Codebook sizes this prior covers, in file order. */
  public int[] codebookSizes() {
    int[] k = new int[levels.length];
    for (int i = 0; i < k.length; i++) k[i] = levels[i].k;
    return k;
  }

  @Override
  public boolean hasLevel(int k) {
    for (Level l : levels) {
      if (l.k == k) return true;
    }
    return false;
  }

  /** SHA-256 of the parameter file as loaded. */
  public byte[] sha256() {
    return sha256.clone();
  }

  /**
   * Reads a parameter file (Spec §8.3.3.2), checking every count before allocating what it sizes
   * and every value against its range.
   *
   * @throws IOException if the file is truncated, has trailing bytes or any field is out of range
   */
  public static TwoStagePrior load(InputStream raw) throws IOException {
    byte[] all = raw.readNBytes(MAX_FILE + 1);
    if (all.length > MAX_FILE)
      throw new IOException("two-stage prior file larger than " + MAX_FILE + " bytes");
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
    try {
      if (in.readInt() != MAGIC) throw new IOException("not a two-stage prior file (magic)");
      int version = in.readInt();
      if (version != VERSION && version != VERSION_TEMPORAL)
        throw new IOException("two-stage prior file version " + version + " unsupported");
      int nl = in.readUnsignedByte();
      if (nl < 1 || nl > MAX_LEVELS)
        throw new IOException("level count " + nl + " outside 1.." + MAX_LEVELS);
      Level[] levels = new Level[nl];
      for (int l = 0; l < nl; l++) levels[l] = readLevel(in, levels, l, version);
      if (in.available() != 0)
        throw new IOException(in.available() + " trailing bytes in two-stage prior file");
      return new TwoStagePrior(levels, ModelPackage.sha256(all));
    } catch (EOFException e) {
      throw new IOException("two-stage prior file truncated", e);
    }
  }

  private static Level readLevel(DataInputStream in, Level[] done, int l, int version)
      throws IOException {
    int k = in.readInt();
    int groups = in.readUnsignedShort();
    int dim = in.readUnsignedByte();
    int dshift = in.readUnsignedByte();
    if (k < 2 || k > MAX_K) throw new IOException("K = " + k + " outside 2.." + MAX_K);
    for (int j = 0; j < l; j++) {
      if (done[j].k == k) throw new IOException("level K = " + k + " twice");
    }
    if (groups < 1 || groups > Math.min(k, MAX_GROUPS))
      throw new IOException("group count " + groups + " outside 1.." + Math.min(k, MAX_GROUPS));
    if (dim < 1 || dim > MAX_DIM) throw new IOException("dim " + dim + " outside 1.." + MAX_DIM);
    if (dshift > 40) throw new IOException("dshift " + dshift + " > 40");
    need(in, (long) k * dim * 2 + 2L * k);
    short[] code = new short[k * dim];
    for (int i = 0; i < code.length; i++) {
      code[i] = in.readShort();
      if (code[i] < -MAX_CODE || code[i] > MAX_CODE)
        throw new IOException("codeword value " + code[i] + " outside +-" + MAX_CODE);
    }
    char[] group = new char[k];
    boolean[] used = new boolean[groups];
    for (int t = 0; t < k; t++) {
      int s = in.readUnsignedShort();
      if (s >= groups) throw new IOException("group " + s + " of codeword " + t + " >= " + groups);
      group[t] = (char) s;
      used[s] = true;
    }
    for (int s = 0; s < groups; s++) {
      if (!used[s]) throw new IOException("group " + s + " has no codeword");
    }
    long transCount = 0;
    for (int p = 0; p < 3; p++) transCount += (long) ContextPrior.TYPES[p] * groups * groups;
    need(in, 2L * (2L * groups + transCount + 2L * k + 2L * ADAPT_LEN));
    int[][] cost1 = readU16(in, 2, groups);
    int[][][] trans = new int[3][][];
    for (int p = 0; p < 3; p++) trans[p] = readU16(in, ContextPrior.TYPES[p], groups * groups);
    int[][] cost2 = readU16(in, 2, k);
    int[] adapt1 = readU16(in, 1, ADAPT_LEN)[0];
    int[] adapt2 = readU16(in, 1, ADAPT_LEN)[0];
    short[][] lambda1 = new short[3][], lambda2 = new short[3][];
    for (int p = 0; p < 3; p++) {
      lambda1[p] = readS16(in, (1 << ContextPrior.TYPES[p]) * stage1Features(p));
      lambda2[p] = readS16(in, (1 << ContextPrior.TYPES[p]) * stage2Features(p));
    }
    int expLen = in.readUnsignedShort();
    if (expLen < 1) throw new IOException("exp table length 0");
    need(in, 4L * expLen);
    long[] exp = new long[expLen];
    for (int i = 0; i < expLen; i++) {
      exp[i] = in.readInt() & 0xFFFFFFFFL;
      if (exp[i] > 1L << 31) throw new IOException("exp table value above 2^31");
      if (i > 0 && exp[i] > exp[i - 1]) throw new IOException("exp table increases");
    }
    if (exp[0] < 1) throw new IOException("exp table starts at 0");
    int[][] ttrans = null;
    short[][] lambdaT1 = null, lambdaT2 = null;
    if (version == VERSION_TEMPORAL) {
      int temporal = in.readUnsignedByte();
      if (temporal > 1) throw new IOException("temporal flag " + temporal + " is not 0 or 1");
      if (temporal == 1) {
        ttrans = readU16(in, 2, groups * groups);
        lambdaT1 = new short[3][];
        lambdaT2 = new short[3][];
        for (int p = 0; p < 3; p++) {
          lambdaT1[p] = readS16(in, (1 << ContextPrior.TYPES[p]) * stage1TemporalFeatures(p));
          lambdaT2[p] = readS16(in, (1 << ContextPrior.TYPES[p]) * stage2TemporalFeatures(p));
        }
      }
    }
    return new Level(
        k, groups, dim, dshift, code, group, cost1, trans, cost2, adapt1, adapt2, lambda1, lambda2,
        exp, ttrans, lambdaT1, lambdaT2);
  }

  private static int[][] readU16(DataInputStream in, int rows, int n) throws IOException {
    need(in, 2L * rows * n);
    int[][] r = new int[rows][n];
    for (int[] row : r) {
      for (int i = 0; i < n; i++) row[i] = in.readUnsignedShort();
    }
    return r;
  }

  private static short[] readS16(DataInputStream in, int n) throws IOException {
    need(in, 2L * n);
    short[] r = new short[n];
    for (int i = 0; i < n; i++) r[i] = in.readShort();
    return r;
  }

  private static void need(DataInputStream in, long bytes) throws IOException {
    if (in.available() < bytes)
      throw new IOException("two-stage prior file truncated: need " + bytes + " more bytes");
  }

  /**
   * The parameter file of Spec §8.3.3.2 (the mirror of {@link #load}): version 2 if a level has a
   * temporal expert, else version 1.
   */
  public static byte[] serialize(Level[] levels) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      boolean temporal = false;
      for (Level lv : levels) temporal |= lv.hasTemporal();
      out.writeInt(MAGIC);
      out.writeInt(temporal ? VERSION_TEMPORAL : VERSION);
      out.writeByte(levels.length);
      for (Level lv : levels) {
        out.writeInt(lv.k);
        out.writeShort(lv.groups);
        out.writeByte(lv.dim);
        out.writeByte(lv.dshift);
        for (short c : lv.code) out.writeShort(c);
        for (char g : lv.group) out.writeShort(g);
        for (int[] r : lv.cost1) for (int v : r) out.writeShort(v);
        for (int[][] p : lv.trans) for (int[] r : p) for (int v : r) out.writeShort(v);
        for (int[] r : lv.cost2) for (int v : r) out.writeShort(v);
        for (int v : lv.adapt1) out.writeShort(v);
        for (int v : lv.adapt2) out.writeShort(v);
        for (int p = 0; p < 3; p++) {
          for (short v : lv.lambda1[p]) out.writeShort(v);
          for (short v : lv.lambda2[p]) out.writeShort(v);
        }
        out.writeShort(lv.exp.length);
        for (long v : lv.exp) out.writeInt((int) v);
        if (temporal) {
          out.writeByte(lv.hasTemporal() ? 1 : 0);
          if (lv.hasTemporal()) {
            for (int[] r : lv.ttrans) for (int v : r) out.writeShort(v);
            for (int p = 0; p < 3; p++) {
              for (short v : lv.lambdaT1[p]) out.writeShort(v);
              for (short v : lv.lambdaT2[p]) out.writeShort(v);
            }
          }
        }
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The prior of {@code levels} through its parameter file ({@link #serialize} then {@link #load}),
   * so that every value is validated as a decoder would.
   */
  public static TwoStagePrior of(Level[] levels) throws IOException {
    return load(new ByteArrayInputStream(serialize(levels)));
  }
}
