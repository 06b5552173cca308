package io.vqcodec.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The masked-token predictor (MaskGIT-style bidirectional transformer) used to conceal lost tokens,
 * written as plain functions over a named parameter map (like {@link TokNet}).
 *
 * <p>Sequence: one window of {@code side x side} positions of the <b>fine</b> (1/8) grid, raster
 * order. A fine cell contributes its 4 fine tokens; a coarse cell contributes its coarse token at
 * each of its 4 positions, marked by the granularity embedding. Input per position = token
 * embedding (or the mask embedding) + a learned projection of the token's tokenizer code vector
 * ({@code fixed.code}: the tok-v1 codebooks, scaled to unit RMS, zero for the mask; not trained) +
 * row embedding + column embedding + granularity embedding + codebook-level embedding. The head
 * scores code k as {@code (h U).c_k + h.w_k + b_k}: the geometry of the codebook is known from the
 * first step (similar codes get similar scores), the per-code terms learn the rest. All five
 * codebook levels share one vocabulary with per-level offsets ({@link #LEVELS}, {@link
 * #offset(int)}); the output head for a level is the slice of the shared head at that level's
 * offset, so logits are over that level's codes only.
 *
 * <p>Layers: pre-norm transformer blocks (LayerNorm with explicit gamma/beta, multi-head
 * self-attention without a causal mask, GELU MLP of width 4d), final LayerNorm, linear head.
 *
 * <p>Manager rule: some ops start from a parameter (embedding gathers, head slices), so callers
 * {@code tempAttach} the parameters to a per-call sub-manager (as the trainer does per step).
 */
public final class MaskNet {
  /** Codebook levels in vocabulary order. */
  public static final int[] LEVELS = {4096, 1024, 256, 64, 16};

  /** Shared vocabulary size (sum of the levels); the mask token is {@code VOCAB}. */
  public static final int VOCAB = 4096 + 1024 + 256 + 64 + 16;

  /** Dimension of the tokenizer's code vectors. */
  public static final int CODE_DIM = 16;

  /** Architecture: window side (fine positions), width, heads, layers. */
  public record Config(int side, int dim, int heads, int layers) {
    public static Config parse(String s) {
      String[] f = s.split(",");
      return new Config(
          Integer.parseInt(f[0].trim()),
          Integer.parseInt(f[1].trim()),
          Integer.parseInt(f[2].trim()),
          Integer.parseInt(f[3].trim()));
    }

    @Override
    public String toString() {
      return side + "," + dim + "," + heads + "," + layers;
    }
  }

  private final Config cfg;
  private final Map<String, NDArray> p;

  public MaskNet(Config cfg, Map<String, NDArray> params) {
    this.cfg = cfg;
    this.p = params;
  }

  public Config config() {
    return cfg;
  }

  public Map<String, NDArray> params() {
    return p;
  }

  /** Index of a codebook level in {@link #LEVELS}; -1 if unknown. */
  public static int levelIndex(int k) {
    for (int i = 0; i < LEVELS.length; i++) if (LEVELS[i] == k) return i;
    return -1;
  }

  /** Vocabulary offset of a codebook level. */
  public static int offset(int k) {
    int o = 0;
    for (int l : LEVELS) {
      if (l == k) return o;
      o += l;
    }
    throw new IllegalArgumentException("unknown codebook level " + k);
  }

  public static Map<String, Shape> shapes(Config c) {
    Map<String, Shape> s = new LinkedHashMap<>();
    int d = c.dim;
    s.put("fixed.code", new Shape(VOCAB + 1, CODE_DIM));
    s.put("emb.tok", new Shape(VOCAB + 1, d));
    s.put("emb.code", new Shape(CODE_DIM, d));
    s.put("emb.row", new Shape(c.side, d));
    s.put("emb.col", new Shape(c.side, d));
    s.put("emb.gran", new Shape(2, d));
    s.put("emb.level", new Shape(LEVELS.length, d));
    for (int i = 0; i < c.layers; i++) {
      String n = "blk." + i + ".";
      s.put(n + "ln1.g", new Shape(d));
      s.put(n + "ln1.b", new Shape(d));
      s.put(n + "qkv.w", new Shape(d, 3 * d));
      s.put(n + "qkv.b", new Shape(3 * d));
      s.put(n + "proj.w", new Shape(d, d));
      s.put(n + "proj.b", new Shape(d));
      s.put(n + "ln2.g", new Shape(d));
      s.put(n + "ln2.b", new Shape(d));
      s.put(n + "fc1.w", new Shape(d, 4 * d));
      s.put(n + "fc1.b", new Shape(4 * d));
      s.put(n + "fc2.w", new Shape(4 * d, d));
      s.put(n + "fc2.b", new Shape(d));
    }
    s.put("lnf.g", new Shape(d));
    s.put("lnf.b", new Shape(d));
    s.put("head.u", new Shape(d, CODE_DIM));
    s.put("head.w", new Shape(d, VOCAB));
    s.put("head.b", new Shape(VOCAB));
    return s;
  }

  /**
   * Initial weights: N(0, 0.02) matrices and embeddings, output projections scaled by 1/sqrt(2L),
   * LN gamma 1, {@code emb.code} N(0, 0.025), {@code head.u} N(0, 0.1), {@code fixed.code} from
   * {@code codes} (per level, {@code level -> K x 16} floats; scaled to unit RMS over all levels).
   */
  public static Map<String, float[]> init(Config c, long seed, Map<Integer, float[]> codes) {
    Random rnd = new Random(seed);
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : shapes(c).entrySet()) {
      String k = e.getKey();
      float[] v = new float[(int) e.getValue().size()];
      if (k.equals("fixed.code")) {
        double ss = 0;
        long n = 0;
        for (int l : LEVELS) {
          for (float x : codes.get(l)) ss += x * x;
          n += codes.get(l).length;
        }
        float inv = (float) (1 / Math.sqrt(ss / n));
        for (int l : LEVELS) {
          float[] cl = codes.get(l);
          int o = offset(l) * CODE_DIM;
          for (int i = 0; i < cl.length; i++) v[o + i] = cl[i] * inv;
        }
      } else if (k.equals("emb.code") || k.equals("head.u")) {
        double std = k.equals("emb.code") ? 0.025 : 0.1;
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * std);
      } else if (k.endsWith(".g")) {
        java.util.Arrays.fill(v, 1f);
      } else if (k.endsWith(".w") || k.startsWith("emb.")) {
        double std = 0.02;
        if (k.endsWith("proj.w") || k.endsWith("fc2.w")) std /= Math.sqrt(2.0 * c.layers);
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * std);
      }
      out.put(k, v);
    }
    return out;
  }

  public static long paramCount(Config c) {
    long n = 0;
    for (Shape s : shapes(c).values()) n += s.size();
    return n;
  }

  public static Map<String, NDArray> toArrays(NDManager m, Config c, Map<String, float[]> vals) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : shapes(c).entrySet()) {
      float[] v = vals.get(e.getKey());
      if (v == null || v.length != e.getValue().size()) {
        throw new IllegalArgumentException("parameter " + e.getKey() + " missing or of wrong size");
      }
      out.put(e.getKey(), m.create(v, e.getValue()));
    }
    return out;
  }

  /**
   * Hidden states (N, h*w, d) of windows of h x w fine positions (h, w at most {@code side}).
   *
   * @param tokens (N, h*w) int64 vocabulary ids (level offset applied) or {@link #VOCAB} for masked
   * @param coarse (N, h*w) int64, 1 where the position belongs to a coarse cell
   * @param level index into {@link #LEVELS}
   */
  public NDArray hidden(NDArray tokens, NDArray coarse, int h, int w, int level) {
    long n = tokens.getShape().get(0);
    int d = cfg.dim;
    NDArray flat = tokens.flatten();
    NDArray x =
        p.get("emb.tok")
            .get(flat)
            .add(p.get("fixed.code").get(flat).matMul(p.get("emb.code")))
            .reshape(n, (long) h * w, d);
    NDArray row = p.get("emb.row").get(new NDIndex("0:" + h)).reshape(h, 1, d);
    NDArray col = p.get("emb.col").get(new NDIndex("0:" + w)).reshape(1, w, d);
    NDArray pos = row.add(col).reshape(1, (long) h * w, d);
    NDArray gran =
        coarse.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).reshape(n, (long) h * w, 1);
    NDArray g0 = p.get("emb.gran").get(0), g1 = p.get("emb.gran").get(1);
    x = x.add(pos).add(g0).add(gran.mul(g1.sub(g0))).add(p.get("emb.level").get(level));
    for (int i = 0; i < cfg.layers; i++) x = block(x, "blk." + i + ".");
    return layerNorm(x, "lnf.");
  }

  /** Logits (rows, K) over level {@code k}'s codes from hidden rows (rows, d). */
  public NDArray logits(NDArray hiddenRows, int k) {
    int off = offset(k);
    NDArray w = p.get("head.w").get(new NDIndex(":, " + off + ":" + (off + k)));
    NDArray b = p.get("head.b").get(new NDIndex(off + ":" + (off + k)));
    NDArray c = p.get("fixed.code").get(new NDIndex(off + ":" + (off + k))).transpose();
    return hiddenRows.matMul(p.get("head.u")).matMul(c).add(hiddenRows.matMul(w)).add(b);
  }

  private NDArray block(NDArray x, String n) {
    Shape s = x.getShape();
    long b = s.get(0), t = s.get(1);
    int d = cfg.dim, hh = cfg.heads, dh = d / hh;
    NDArray y = layerNorm(x, n + "ln1.");
    NDArray qkv = y.matMul(p.get(n + "qkv.w")).add(p.get(n + "qkv.b"));
    qkv = qkv.reshape(b, t, 3, hh, dh).transpose(2, 0, 3, 1, 4); // (3, b, h, t, dh)
    NDArray q = qkv.get(0), k = qkv.get(1), v = qkv.get(2);
    NDArray att = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0f / (float) Math.sqrt(dh)).softmax(-1);
    NDArray o = att.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, d);
    x = x.add(o.matMul(p.get(n + "proj.w")).add(p.get(n + "proj.b")));
    y = layerNorm(x, n + "ln2.");
    y = Activation.gelu(y.matMul(p.get(n + "fc1.w")).add(p.get(n + "fc1.b")));
    return x.add(y.matMul(p.get(n + "fc2.w")).add(p.get(n + "fc2.b")));
  }

  private NDArray layerNorm(NDArray x, String n) {
    NDArray mu = x.mean(new int[] {-1}, true);
    NDArray c = x.sub(mu);
    NDArray var = c.square().mean(new int[] {-1}, true);
    return c.div(var.add(1e-5f).sqrt()).mul(p.get(n + "g")).add(p.get(n + "b"));
  }
}
