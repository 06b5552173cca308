package io.vqcodec.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vqcodec.neural.TensorFile.Tensor;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.TokenGrid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conceals lost tokens ({@link TokenGrid#LOST}) by predicting them with the released masked-token
 * transformer ({@code mask-v1}, {@link MaskNet}), MaskGIT-style: every pass predicts all still-lost
 * units, keeps the most confident ones (cosine schedule: after pass i of P, {@code
 * floor(N*cos(pi/2*(i+1)/P))} units stay lost) and feeds them back as context; the last pass fills
 * the rest.
 *
 * <pre>{@code
 * Optional<TokenPredictor> tp = TokenPredictor.loadDefaultIfPresent();  // empty when not packaged
 * CodeHints hints = tp.get().expectedCodes(grid, tokenizer, 1);         // every LOST token; null for an unknown level
 * BufferedImage img = tokenizer.decode(grid, hints);
 * }</pre>
 *
 * <p>The decoder's concealment (this prediction, and the neighbour mean for what it leaves) is in
 * the decoder module's {@code io.vqcodec.decoder.conceal}.
 *
 * <p>A unit is one fine token of a fine cell, or the single token of a coarse cell. The network
 * sees windows of {@code side x side} positions of the fine grid (16x16 for mask-v1: 128x128
 * pixels); larger grids are covered by windows at a stride of {@code side/2} (clamped to the
 * edges); the predictions of overlapping windows are averaged, weighted by distance from the window
 * border. A grid whose codebook size is not one of {@link MaskNet#LEVELS} is left untouched
 * (returns 0).
 *
 * <p>Runs on DJL's default device (the GPU when one is present, else the CPU). Thread safety:
 * public methods are {@code synchronized}; each call uses its own NDManager sub-manager.
 */
public final class TokenPredictor implements AutoCloseable {
  /** Default number of confidence-ordered passes. */
  public static final int DEFAULT_PASSES = 4;

  private static final int BATCH = 32;

  private final NDManager manager;
  private final MaskNet net;
  private final byte[] sha256;
  private final String name;
  private final float[] codes; // fixed.code: (VOCAB + 1) x CODE_DIM

  private TokenPredictor(ModelPackage model) throws IOException {
    String arch = model.property("arch");
    if (arch == null) throw new IOException(model + ": model.properties lacks arch");
    Torch.startInBackground(); // while the weights are read and converted
    byte[] weights = model.weights(); // SHA-256 checked by the package
    this.sha256 = model.weightsSha256();
    this.name = model.name();
    try {
      MaskNet.Config cfg = MaskNet.Config.parse(arch);
      Map<String, Tensor> t = TensorFile.read(weights);
      Map<String, float[]> vals = new LinkedHashMap<>();
      for (String k : MaskNet.shapes(cfg).keySet()) {
        Tensor x = t.get("net." + k);
        if (x == null) throw new IOException("weights lack net." + k);
        vals.put(k, x.data());
      }
      this.codes = vals.get("fixed.code");
      this.manager = Torch.newManager();
      this.net = new MaskNet(cfg, MaskNet.toArrays(manager, cfg, vals));
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed model: " + e.getMessage(), e);
    }
  }

  /** The predictor of a model package (its weights are read and checked here). */
  public static TokenPredictor open(ModelPackage model) throws IOException {
    return new TokenPredictor(model);
  }

  /** The released default predictor; IOException when it is absent or corrupt. */
  public static TokenPredictor loadDefault() throws IOException {
    return loadDefaultIfPresent()
        .orElseThrow(
            () -> new IOException("no masked-token predictor among the released model packages"));
  }

  /** The released default predictor, or empty when it is not packaged (then use the fallback). */
  public static Optional<TokenPredictor> loadDefaultIfPresent() throws IOException {
    Optional<ModelPackage> p = ModelRegistry.builtIn().defaultPredictor();
    return p.isEmpty() ? Optional.empty() : Optional.of(new TokenPredictor(p.get()));
  }

  public String name() {
    return name;
  }

  public byte[] weightsSha256() {
    return sha256.clone();
  }

  /**
   * {@link #conceal(TokenGrid, int, boolean)} with {@link #DEFAULT_PASSES} passes, most probable
   * tokens.
   */
  public synchronized int conceal(TokenGrid grid) {
    return conceal(grid, DEFAULT_PASSES, false);
  }

  /** {@link #conceal(TokenGrid, int, boolean)} with the most probable tokens. */
  public synchronized int conceal(TokenGrid grid, int passes) {
    return conceal(grid, passes, false);
  }

  /**
   * Replaces every LOST token of {@code grid} (fine tokens of fine cells, coarse tokens of coarse
   * cells) by a prediction, in place. With {@code meanCode} false a unit gets its most probable
   * token; with true, the token whose code vector is nearest the probability-weighted mean code
   * vector (closer in the embedding the decoder sees when the prediction is uncertain). The order
   * of filling (confidence = the most probable token's probability) is the same.
   *
   * @return the number of tokens filled (0 when none was lost or the codebook size is unknown)
   */
  public synchronized int conceal(TokenGrid grid, int passes, boolean meanCode) {
    return fill(grid, passes, meanCode, null, null);
  }

  /**
   * Soft concealment: the expected code vector of every LOST token of {@code grid} under the
   * predicted distribution, {@code sum_j p_j c_j} over the codewords {@code c_j} of {@code
   * tokenizer}'s codebook at the grid's level, for {@link Tokenizer#decode(TokenGrid, CodeHints)}.
   * The passes run as in {@link #conceal(TokenGrid, int, boolean)} (units filled in order of
   * confidence with their most probable token as context for the next pass) on a copy; {@code grid}
   * is not changed. Returns null when the grid's codebook size is not one this model knows.
   */
  public synchronized CodeHints expectedCodes(TokenGrid grid, Tokenizer tokenizer, int passes) {
    int k = grid.codebookSize();
    if (MaskNet.levelIndex(k) < 0 || passes < 1) return null;
    float[] table = tokenizer.codebookTable(k);
    CodeHints hints = new CodeHints(grid.cellsWide(), grid.cellsHigh(), table.length / k);
    fill(grid.copy(), passes, false, table, hints);
    return hints;
  }

  private int fill(TokenGrid grid, int passes, boolean meanCode, float[] table, CodeHints hints) {
    int k = grid.codebookSize(), li = MaskNet.levelIndex(k);
    if (li < 0 || passes < 1) return 0;
    int fw = grid.fineWide(), fh = grid.fineHigh(), off = MaskNet.offset(k);
    long[] tok = new long[fw * fh];
    long[] coarse = new long[fw * fh];
    List<int[]> units = new ArrayList<>(); // {unit kind 0 fine / 1 coarse, x, y}
    for (int cy = 0; cy < grid.cellsHigh(); cy++) {
      for (int cx = 0; cx < grid.cellsWide(); cx++) {
        boolean fine = grid.isFine(cx, cy);
        for (int j = 0; j < 4; j++) {
          int fx = 2 * cx + j % 2, fy = 2 * cy + j / 2;
          int v = fine ? grid.fineToken(fx, fy) : grid.coarseToken(cx, cy);
          tok[fy * fw + fx] = v == TokenGrid.LOST ? MaskNet.VOCAB : off + v;
          coarse[fy * fw + fx] = fine ? 0 : 1;
          if (fine && v == TokenGrid.LOST) units.add(new int[] {0, fx, fy});
        }
        if (!fine && grid.coarseToken(cx, cy) == TokenGrid.LOST)
          units.add(new int[] {1, 2 * cx, 2 * cy});
      }
    }
    int total = units.size();
    if (total == 0) return 0;
    List<int[]> open = new ArrayList<>(units);
    for (int pass = 0; pass < passes && !open.isEmpty(); pass++) {
      int keepLost =
          pass == passes - 1
              ? 0
              : (int) Math.floor(total * Math.cos(Math.PI / 2 * (pass + 1) / passes));
      int fill = Math.max(1, open.size() - keepLost);
      float[][] prob = predict(tok, coarse, fw, fh, li, k);
      int n = open.size();
      int[] best = new int[n];
      float[] conf = new float[n];
      for (int u = 0; u < n; u++) {
        int[] un = open.get(u);
        float[] acc = new float[k];
        int[] pos =
            un[0] == 0
                ? new int[] {un[2] * fw + un[1]}
                : new int[] {
                  un[2] * fw + un[1],
                  un[2] * fw + un[1] + 1,
                  (un[2] + 1) * fw + un[1],
                  (un[2] + 1) * fw + un[1] + 1
                };
        float wsum = 0;
        for (int q : pos) {
          float[] pq = prob[q];
          for (int j = 0; j < k; j++) acc[j] += pq[j];
          wsum += 1;
        }
        int b = 0;
        for (int j = 1; j < k; j++) if (acc[j] > acc[b]) b = j;
        best[u] = meanCode ? nearestToMean(acc, off, k) : b;
        conf[u] = acc[b] / wsum;
      }
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) order[i] = i;
      Arrays.sort(order, (x, y) -> Float.compare(conf[y], conf[x]));
      boolean[] done = new boolean[n];
      for (int i = 0; i < Math.min(fill, n); i++) {
        int u = order[i];
        int[] un = open.get(u);
        done[u] = true;
        if (hints != null) {
          float[] code = expected(open.get(u), prob, fw, table, k, hints.dim());
          if (un[0] == 0) hints.setFine(un[1], un[2], code);
          else hints.setCoarse(un[1] / 2, un[2] / 2, code);
        }
        if (un[0] == 0) {
          grid.setFineToken(un[1], un[2], best[u]);
          tok[un[2] * fw + un[1]] = off + best[u];
        } else {
          grid.setCoarseToken(un[1] / 2, un[2] / 2, best[u]);
          for (int j = 0; j < 4; j++) tok[(un[2] + j / 2) * fw + un[1] + j % 2] = off + best[u];
        }
      }
      List<int[]> rest = new ArrayList<>();
      for (int i = 0; i < n; i++) if (!done[i]) rest.add(open.get(i));
      open = rest;
    }
    return total;
  }

  /** {@code sum_j p_j c_j} with p the unit's predicted distribution (mean over its positions). */
  private static float[] expected(int[] un, float[][] prob, int fw, float[] table, int k, int d) {
    int[] pos =
        un[0] == 0
            ? new int[] {un[2] * fw + un[1]}
            : new int[] {
              un[2] * fw + un[1],
              un[2] * fw + un[1] + 1,
              (un[2] + 1) * fw + un[1],
              (un[2] + 1) * fw + un[1] + 1
            };
    double[] m = new double[d];
    double z = 0;
    for (int q : pos) {
      float[] pq = prob[q];
      for (int j = 0; j < k; j++) {
        float pj = pq[j];
        if (pj < 1e-7f) continue;
        z += pj;
        for (int i = 0; i < d; i++) m[i] += pj * table[j * d + i];
      }
    }
    float[] code = new float[d];
    for (int i = 0; i < d; i++) code[i] = (float) (m[i] / z);
    return code;
  }

  private int nearestToMean(float[] prob, int off, int k) {
    int d = MaskNet.CODE_DIM;
    double[] m = new double[d];
    double z = 0;
    for (int j = 0; j < k; j++) {
      float pj = prob[j];
      if (pj < 1e-6f) continue;
      z += pj;
      for (int i = 0; i < d; i++) m[i] += pj * codes[(off + j) * d + i];
    }
    int best = 0;
    double bd = Double.MAX_VALUE;
    for (int j = 0; j < k; j++) {
      double dist = 0;
      for (int i = 0; i < d; i++) {
        double e = codes[(off + j) * d + i] - m[i] / z;
        dist += e * e;
      }
      if (dist < bd) {
        bd = dist;
        best = j;
      }
    }
    return best;
  }

  /** Averaged class probabilities per masked fine position (null rows elsewhere). */
  private float[][] predict(long[] tok, long[] coarse, int fw, int fh, int li, int k) {
    int s = net.config().side();
    int ww = Math.min(s, fw), wh = Math.min(s, fh);
    int[] xs = origins(fw, ww, s / 2), ys = origins(fh, wh, s / 2);
    List<int[]> wins = new ArrayList<>();
    for (int y0 : ys) {
      for (int x0 : xs) {
        boolean any = false;
        for (int y = y0; y < y0 + wh && !any; y++) {
          for (int x = x0; x < x0 + ww; x++) {
            if (tok[y * fw + x] == MaskNet.VOCAB) {
              any = true;
              break;
            }
          }
        }
        if (any) wins.add(new int[] {x0, y0});
      }
    }
    float[][] prob = new float[fw * fh][];
    float[] wsum = new float[fw * fh];
    int t = ww * wh;
    for (int b0 = 0; b0 < wins.size(); b0 += BATCH) {
      int nb = Math.min(BATCH, wins.size() - b0);
      long[] xt = new long[nb * t], xc = new long[nb * t];
      List<Long> rows = new ArrayList<>();
      for (int b = 0; b < nb; b++) {
        int[] w = wins.get(b0 + b);
        for (int y = 0; y < wh; y++) {
          for (int x = 0; x < ww; x++) {
            int src = (w[1] + y) * fw + w[0] + x, dst = b * t + y * ww + x;
            xt[dst] = tok[src];
            xc[dst] = coarse[src];
            if (tok[src] == MaskNet.VOCAB) rows.add((long) dst);
          }
        }
      }
      float[] p;
      try (NDManager sub = manager.newSubManager()) {
        for (NDArray a : net.params().values()) a.tempAttach(sub);
        NDArray h =
            net.hidden(
                    sub.create(xt, new Shape(nb, t)), sub.create(xc, new Shape(nb, t)), wh, ww, li)
                .reshape((long) nb * t, net.config().dim());
        long[] r = rows.stream().mapToLong(Long::longValue).toArray();
        p = net.logits(h.get(sub.create(r)), k).softmax(-1).toFloatArray();
      }
      int ri = 0;
      for (long dst : rows) {
        int b = (int) (dst / t), y = (int) (dst % t) / ww, x = (int) (dst % t) % ww;
        int[] w = wins.get(b0 + b);
        int src = (w[1] + y) * fw + w[0] + x;
        float wt = 1 + Math.min(Math.min(x, ww - 1 - x), Math.min(y, wh - 1 - y));
        if (prob[src] == null) prob[src] = new float[k];
        float[] ps = prob[src];
        for (int j = 0; j < k; j++) ps[j] += wt * p[ri * k + j];
        wsum[src] += wt;
        ri++;
      }
    }
    for (int i = 0; i < prob.length; i++) {
      if (prob[i] != null) {
        float inv = 1f / wsum[i];
        for (int j = 0; j < k; j++) prob[i][j] *= inv;
      }
    }
    return prob;
  }

  /**
   * Window origins covering [0, n) with windows of w at the given stride; even, last clamped to n -
   * w.
   */
  static int[] origins(int n, int w, int stride) {
    List<Integer> o = new ArrayList<>();
    for (int x = 0; ; x += stride) {
      int c = Math.min(x, n - w);
      if (o.isEmpty() || o.get(o.size() - 1) != c) o.add(c);
      if (c == n - w) break;
    }
    return o.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public synchronized void close() {
    manager.close();
  }
}
