package io.vqcodec.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The VQ tokenizer networks (encoder with a fine 1/8 and a coarse 1/16 head, and the mixed-grid
 * decoder), written as plain functions over a named parameter map so that training, checkpoints and
 * inference share one definition.
 *
 * <p>Layout NCHW, pixels in [0, 1]. Encoder: space-to-depth x4 (3 to 48 channels at 1/4), 3x3 conv
 * to {@code c4}, {@code e4} residual blocks, 2x2 stride-2 conv to {@code c8} at 1/8, {@code e8}
 * residual blocks; fine head GELU + 1x1 conv to {@code dim}; coarse branch 2x2 stride-2 conv to
 * {@code c16} at 1/16, {@code e16} residual blocks, GELU + 1x1 conv to {@code dim}. Decoder: fine
 * embeddings (slots of coarse cells filled from the coarse token) 3x3 conv to {@code c8}; coarse
 * embeddings 3x3 conv to {@code c16}, {@code d16} residual blocks, GELU + 1x1 conv to {@code 4*c8}
 * and depth-to-space x2; the two are merged per 1/8 position with the cell mask {@code m}: {@code h
 * = m*F + (1-m)*C}; then {@code d8} residual blocks, GELU + 1x1 conv to {@code 4*c4} and
 * depth-to-space x2, {@code d4} residual blocks, GELU + 3x3 conv to 48 channels and depth-to-space
 * x4, plus 0.5. No convolution runs at full resolution. Norm-free: residual branches start small
 * (second conv scaled by 0.1).
 *
 * <p>Residual block: {@code x + conv3x3(gelu(conv3x3(gelu(x))))}.
 *
 * <p>Manager rule: every op here takes an input-derived array as its first operand, so results land
 * on the input's manager; callers give the input a per-call sub-manager.
 */
public final class TokNet {
  private final TokNetConfig cfg;
  private final Map<String, NDArray> p;
  private final boolean inference;

  /** A network for training: every intermediate array lives until its manager closes. */
  public TokNet(TokNetConfig cfg, Map<String, NDArray> params) {
    this(cfg, params, false);
  }

  private TokNet(TokNetConfig cfg, Map<String, NDArray> params, boolean inference) {
    this.cfg = cfg;
    this.p = params;
    this.inference = inference;
  }

  /**
   * A network for inference: each intermediate array is closed as soon as the next layer has read
   * it, so that peak memory is a few activations instead of all of them (about 0.2 KB instead of 1
   * KB per pixel on the decoder; results are identical).
   */
  static TokNet forInference(TokNetConfig cfg, Map<String, NDArray> params) {
    return new TokNet(cfg, params, true);
  }

  public TokNetConfig config() {
    return cfg;
  }

  public Map<String, NDArray> params() {
    return p;
  }

  /** Names and shapes of every parameter, in a fixed order. */
  public static Map<String, Shape> shapes(TokNetConfig c) {
    Map<String, Shape> s = new LinkedHashMap<>();
    conv(s, "enc.stem", 48, c.c4, 3);
    for (int i = 0; i < c.e4; i++) res(s, "enc.r4." + i, c.c4);
    conv(s, "enc.down8", c.c4, c.c8, 2);
    for (int i = 0; i < c.e8; i++) res(s, "enc.r8." + i, c.c8);
    conv(s, "enc.fine", c.c8, c.fineLatent(), 1);
    conv(s, "enc.down16", c.c8, c.c16, 2);
    for (int i = 0; i < c.e16; i++) res(s, "enc.r16." + i, c.c16);
    conv(s, "enc.coarse", c.c16, c.dim, 1);
    conv(s, "dec.fin", c.fineInput(), c.c8, 3);
    conv(s, "dec.cin", c.dim, c.c16, 3);
    for (int i = 0; i < c.d16; i++) res(s, "dec.r16." + i, c.c16);
    conv(s, "dec.cup", c.c16, 4 * c.c8, 1);
    for (int i = 0; i < c.d8; i++) res(s, "dec.r8." + i, c.c8);
    conv(s, "dec.up4", c.c8, 4 * c.c4, 1);
    for (int i = 0; i < c.d4; i++) res(s, "dec.r4." + i, c.c4);
    conv(s, "dec.out", c.c4, 48, 3);
    return s;
  }

  private static void conv(Map<String, Shape> s, String n, int in, int out, int k) {
    s.put(n + ".w", new Shape(out, in, k, k));
    s.put(n + ".b", new Shape(out));
  }

  private static void res(Map<String, Shape> s, String n, int c) {
    conv(s, n + ".c1", c, c, 3);
    conv(s, n + ".c2", c, c, 3);
  }

  /** He-normal initial weights (second conv of a residual block and the heads scaled down). */
  public static Map<String, float[]> init(TokNetConfig c, long seed) {
    Random rnd = new Random(seed);
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : shapes(c).entrySet()) {
      Shape sh = e.getValue();
      float[] v = new float[(int) sh.size()];
      if (e.getKey().endsWith(".w")) {
        long fanIn = sh.get(1) * sh.get(2) * sh.get(3);
        double std = Math.sqrt(2.0 / fanIn);
        if (e.getKey().endsWith(".c2.w")) std *= 0.1;
        if (e.getKey().equals("dec.out.w")) std *= 0.1;
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * std);
      }
      out.put(e.getKey(), v);
    }
    return out;
  }

  public static long paramCount(TokNetConfig c) {
    long n = 0;
    for (Shape s : shapes(c).values()) n += s.size();
    return n;
  }

  // ---- encoder -------------------------------------------------------------------------------

  /**
   * Fine-head output (N, groups * dim, H/8, W/8) and coarse-head output (N, dim, H/16, W/16); H, W
   * multiples of 16.
   */
  public NDArray[] encode(NDArray x) {
    NDArray h = spaceToDepth(x.sub(0.5f), 4, true);
    h = then(h, conv(h, "enc.stem", 1, 1));
    for (int i = 0; i < cfg.e4; i++) h = then(h, res(h, "enc.r4." + i));
    h = then(h, conv(h, "enc.down8", 2, 0));
    for (int i = 0; i < cfg.e8; i++) h = then(h, res(h, "enc.r8." + i));
    NDArray zf = conv(gelu(h, false), "enc.fine", 1, 0, true);
    NDArray g = then(h, conv(h, "enc.down16", 2, 0));
    for (int i = 0; i < cfg.e16; i++) g = then(g, res(g, "enc.r16." + i));
    NDArray zc = conv(gelu(g, true), "enc.coarse", 1, 0, true);
    return new NDArray[] {zf, zc};
  }

  // ---- decoder -------------------------------------------------------------------------------

  /**
   * Pixels (N, 3, H, W) from fine embeddings (N, {@link TokNetConfig#fineInput}, H/8, W/8), coarse
   * embeddings (N, dim, H/16, W/16) and the fine masks (1 = fine, 0 = coarse) at 1/8, (N, 1, H/8,
   * W/8), constant over each 2x2 cell, and at 1/16, (N, 1, H/16, W/16).
   *
   * <p>Only the coded tokens matter: slots of the other granularity are filled before the network
   * (fine slots of a coarse cell repeat its coarse embedding in group 1, the other groups and the
   * presence planes zero; the coarse slot of a fine cell is the mean of its four fine embeddings'
   * group 1), in training and inference alike, so their input values are ignored.
   */
  public NDArray decode(NDArray qf, NDArray qc, NDArray mask8, NDArray mask16) {
    Shape s = qf.getShape();
    long n = s.get(0), d = cfg.dim, h = s.get(2) / 2, w = s.get(3) / 2;
    NDArray rows = qc.repeat(2, 2);
    NDArray up = then(rows, rows.repeat(3, 2));
    if (cfg.groups > 1) {
      NDArray rest = up.getManager().zeros(new Shape(n, s.get(1) - d, s.get(2), s.get(3)));
      up = then(up, up.concat(rest, 1));
      rest.close();
    }
    NDArray group1 = cfg.groups > 1 ? qf.get(":, 0:" + d) : qf;
    NDArray pooled =
        group1
            .reshape(n, d, h, 2, w, 2)
            .transpose(0, 1, 2, 4, 3, 5)
            .reshape(n, d, h, w, 4)
            .mean(new int[] {4});
    if (group1 != qf) free(group1);
    NDArray fineIn = mixed(qf, up, mask8);
    NDArray coarseIn = mixed(pooled, qc, mask16);
    free(up);
    free(pooled);
    NDArray f = conv(fineIn, "dec.fin", 1, 1, true);
    NDArray c = conv(coarseIn, "dec.cin", 1, 1, true);
    for (int i = 0; i < cfg.d16; i++) c = then(c, res(c, "dec.r16." + i));
    c = depthToSpace(conv(gelu(c, true), "dec.cup", 1, 0, true), 2, true);
    NDArray hh = mixed(f, c, mask8);
    free(f);
    free(c);
    for (int i = 0; i < cfg.d8; i++) hh = then(hh, res(hh, "dec.r8." + i));
    hh = depthToSpace(conv(gelu(hh, true), "dec.up4", 1, 0, true), 2, true);
    for (int i = 0; i < cfg.d4; i++) hh = then(hh, res(hh, "dec.r4." + i));
    hh = depthToSpace(conv(gelu(hh, true), "dec.out", 1, 1, true), 4, true);
    return then(hh, hh.add(0.5f));
  }

  // ---- layers --------------------------------------------------------------------------------

  /** {@code m * a + (1 - m) * b}. */
  private NDArray mixed(NDArray a, NDArray b, NDArray m) {
    NDArray diff = a.sub(b);
    NDArray scaled = then(diff, diff.mul(m));
    return then(scaled, scaled.add(b));
  }

  /** Returns {@code next}, closing {@code used} first in inference (it is no longer needed). */
  private NDArray then(NDArray used, NDArray next) {
    free(used);
    return next;
  }

  private void free(NDArray used) {
    if (inference) used.close();
  }

  private NDArray gelu(NDArray x, boolean consume) {
    NDArray y = Activation.gelu(x);
    if (consume) free(x);
    return y;
  }

  private NDArray conv(NDArray x, String n, int stride, int pad, boolean consume) {
    NDArray y = conv(x, n, stride, pad);
    if (consume) free(x);
    return y;
  }

  private NDArray conv(NDArray x, String n, int stride, int pad) {
    return Conv2d.conv2d(
            x,
            p.get(n + ".w"),
            p.get(n + ".b"),
            new Shape(stride, stride),
            new Shape(pad, pad),
            new Shape(1, 1),
            1)
        .singletonOrThrow();
  }

  private NDArray res(NDArray x, String n) {
    NDArray r = conv(gelu(x, false), n + ".c1", 1, 1, true);
    r = conv(gelu(r, true), n + ".c2", 1, 1, true);
    return then(r, x.add(r));
  }

  /** (N, C, H, W) to (N, C*s*s, H/s, W/s); channel index c*s*s + dy*s + dx. */
  public static NDArray spaceToDepth(NDArray x, int s) {
    Shape sh = x.getShape();
    long n = sh.get(0), c = sh.get(1), h = sh.get(2), w = sh.get(3);
    return x.reshape(n, c, h / s, s, w / s, s)
        .transpose(0, 1, 3, 5, 2, 4)
        .reshape(n, c * s * s, h / s, w / s);
  }

  /** Inverse of {@link #spaceToDepth}. */
  public static NDArray depthToSpace(NDArray x, int s) {
    Shape sh = x.getShape();
    long n = sh.get(0), c = sh.get(1) / (s * s), h = sh.get(2), w = sh.get(3);
    return x.reshape(n, c, s, s, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, h * s, w * s);
  }

  /**
   * {@link #spaceToDepth}; in inference also closes {@code x} and the views in between, which would
   * otherwise keep {@code x}'s storage alive.
   */
  private NDArray spaceToDepth(NDArray x, int s, boolean consume) {
    if (!inference || !consume) return spaceToDepth(x, s);
    Shape sh = x.getShape();
    long n = sh.get(0), c = sh.get(1), h = sh.get(2), w = sh.get(3);
    NDArray a = x.reshape(n, c, h / s, s, w / s, s);
    NDArray b = a.transpose(0, 1, 3, 5, 2, 4);
    NDArray y = b.reshape(n, c * s * s, h / s, w / s);
    b.close();
    a.close();
    x.close();
    return y;
  }

  /** {@link #depthToSpace}, closing {@code x} and the views in between in inference. */
  private NDArray depthToSpace(NDArray x, int s, boolean consume) {
    if (!inference || !consume) return depthToSpace(x, s);
    Shape sh = x.getShape();
    long n = sh.get(0), c = sh.get(1) / (s * s), h = sh.get(2), w = sh.get(3);
    NDArray a = x.reshape(n, c, s, s, h, w);
    NDArray b = a.transpose(0, 1, 4, 2, 5, 3);
    NDArray y = b.reshape(n, c, h * s, w * s);
    b.close();
    a.close();
    x.close();
    return y;
  }

  /** Creates the parameter arrays on {@code m} from float values (in {@link #shapes} order). */
  public static Map<String, NDArray> toArrays(
      NDManager m, TokNetConfig c, Map<String, float[]> vals) {
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
}
