package io.vqcodec.tools.train;

import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TensorFile.Tensor;
import io.vqcodec.neural.TokNet;
import io.vqcodec.neural.TokNetConfig;
import io.vqcodec.tokens.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Turns a training checkpoint into a released model folder: {@code weights.vqt} (network weights as
 * binary16; codebooks and code usage as float32) and {@code model.properties}.
 *
 * <p>Nested sub-codebooks: for each smaller size (1024, 256, 64, 16) a usage-weighted k-means of
 * the trained codes (weights: EMA code counts + 1e-3; k-means++ seeding with {@code new
 * Random(size)}; 50 Lloyd iterations), so every level is deterministic given the checkpoint.
 *
 * <p>Residual VQ stages (tok-v2): a checkpoint with stage codebooks {@code vq.s2.codebook}, {@code
 * vq.s3.codebook}, ... (and their {@code vq.sN.ema_count}) also releases them as float32 tensors
 * {@code stage.N} (K x dim) and {@code stage.N.usage} (K), after the stage-1 tensors. A checkpoint
 * without stages releases exactly the tensors it did before stages existed.
 *
 * <p>Run through {@link ReleaseModel}, which writes the whole package.
 */
final class ReleaseTokenizer {
  static final int[] LEVELS = {1024, 256, 64, 16};

  private ReleaseTokenizer() {}

  /**
   * What {@link #writeWeights} wrote: {@code stages} counts stage 1 (1 without stage codebooks),
   * {@code stageCodebookSize} is the size of every stage-2+ codebook (0 without).
   */
  record Weights(
      int step,
      String codebookSizes,
      int stages,
      int stageCodebookSize,
      byte[] sha256,
      long bytes) {}

  /**
   * Writes {@code out/weights.vqt} from a training checkpoint: the network as binary16, the trained
   * codebook and its nested sub-codebooks ({@link #LEVELS}) with their usage as float32, and the
   * residual stage codebooks with their usage ({@link #stageTensors}) if the checkpoint has them.
   */
  static Weights writeWeights(Path ckpt, TokNetConfig cfg, Path out) throws IOException {
    Map<String, Tensor> ck = TensorFile.read(ckpt);
    int step = (int) ck.get("meta.step").data()[0];
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (String k : TokNet.shapes(cfg).keySet()) w.put("net." + k, ck.get("net." + k));
    Tensor cb = ck.get("vq.codebook");
    int dim = (int) cb.dims()[1], k0 = (int) cb.dims()[0];
    if (dim != cfg.dim)
      throw new IllegalArgumentException("codebook dim " + dim + " != arch dim " + cfg.dim);
    float[] usage = ck.get("vq.ema_count").data();
    w.put("codebook." + k0, cb);
    w.put("usage." + k0, new Tensor(new long[] {k0}, usage));
    StringBuilder sizes = new StringBuilder().append(k0);
    for (int k : LEVELS) {
      float[][] r = kmeans(cb.data(), usage, dim, k, new Random(k), 50);
      w.put("codebook." + k, new Tensor(new long[] {k, dim}, r[0]));
      w.put("usage." + k, new Tensor(new long[] {k}, r[1]));
      sizes.append(',').append(k);
    }
    Map<String, Tensor> stages = stageTensors(ck, dim);
    w.putAll(stages);
    int stageK = stages.isEmpty() ? 0 : (int) stages.get("stage.2").dims()[0];
    Files.createDirectories(out);
    Path wf = out.resolve("weights.vqt");
    TensorFile.write(wf, w, n -> n.startsWith("net."));
    byte[] bytes = Files.readAllBytes(wf);
    return new Weights(
        step,
        sizes.toString(),
        1 + stages.size() / 2,
        stageK,
        ModelPackage.sha256(bytes),
        bytes.length);
  }

  /**
   * The residual stage codebooks of a checkpoint: {@code stage.N} = {@code vq.sN.codebook} and
   * {@code stage.N.usage} = {@code vq.sN.ema_count} for N = 2, 3, ... while the checkpoint has
   * them; empty for a checkpoint without stages. Every stage has the same size and dimension.
   */
  static Map<String, Tensor> stageTensors(Map<String, Tensor> ck, int dim) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    int k = 0;
    for (int s = 2; ck.containsKey("vq.s" + s + ".codebook"); s++) {
      Tensor cb = ck.get("vq.s" + s + ".codebook"), count = ck.get("vq.s" + s + ".ema_count");
      int ks = (int) cb.dims()[0];
      if (cb.dims().length != 2 || cb.dims()[1] != dim)
        throw new IllegalArgumentException("vq.s" + s + ".codebook is not K x " + dim);
      if (k != 0 && ks != k)
        throw new IllegalArgumentException("stage " + s + " has " + ks + " codes, stage 2 " + k);
      if (count == null || count.data().length != ks)
        throw new IllegalArgumentException("vq.s" + s + ".ema_count missing or not of size " + ks);
      k = ks;
      out.put("stage." + s, new Tensor(new long[] {ks, dim}, cb.data()));
      out.put("stage." + s + ".usage", new Tensor(new long[] {ks}, count.data()));
    }
    Tensor meta = ck.get("meta.stages");
    if (meta != null && (int) meta.data()[0] != 1 + out.size() / 2)
      throw new IllegalArgumentException(
          "meta.stages " + (int) meta.data()[0] + " but " + out.size() / 2 + " stage codebooks");
    return out;
  }

  /** Weighted k-means; returns {centroids (k*dim), cluster weights (k)}. */
  static float[][] kmeans(float[] x, float[] weight, int dim, int k, Random rnd, int iters) {
    int n = x.length / dim;
    double[] wt = new double[n];
    for (int i = 0; i < n; i++) wt[i] = Math.max(0, weight[i]) + 1e-3;
    float[] c = new float[k * dim];
    double[] dmin = new double[n];
    java.util.Arrays.fill(dmin, Double.MAX_VALUE);
    int first = pick(wt, null, rnd);
    System.arraycopy(x, first * dim, c, 0, dim);
    for (int j = 1; j < k; j++) {
      for (int i = 0; i < n; i++) dmin[i] = Math.min(dmin[i], dist(x, i, c, j - 1, dim));
      int p = pick(wt, dmin, rnd);
      System.arraycopy(x, p * dim, c, j * dim, dim);
    }
    int[] assign = new int[n];
    double[] cw = new double[k];
    for (int it = 0; it < iters; it++) {
      for (int i = 0; i < n; i++) {
        double best = Double.MAX_VALUE;
        for (int j = 0; j < k; j++) {
          double d = dist(x, i, c, j, dim);
          if (d < best) {
            best = d;
            assign[i] = j;
          }
        }
      }
      double[] sum = new double[k * dim];
      java.util.Arrays.fill(cw, 0);
      for (int i = 0; i < n; i++) {
        cw[assign[i]] += wt[i];
        for (int t = 0; t < dim; t++) sum[assign[i] * dim + t] += wt[i] * x[i * dim + t];
      }
      for (int j = 0; j < k; j++) {
        if (cw[j] > 0)
          for (int t = 0; t < dim; t++) c[j * dim + t] = (float) (sum[j * dim + t] / cw[j]);
      }
    }
    float[] cwf = new float[k];
    for (int j = 0; j < k; j++) cwf[j] = (float) cw[j];
    return new float[][] {c, cwf};
  }

  private static double dist(float[] x, int i, float[] c, int j, int dim) {
    double s = 0;
    for (int t = 0; t < dim; t++) {
      double d = x[i * dim + t] - c[j * dim + t];
      s += d * d;
    }
    return s;
  }

  private static int pick(double[] wt, double[] dmin, Random rnd) {
    double tot = 0;
    for (int i = 0; i < wt.length; i++) tot += wt[i] * (dmin == null ? 1 : dmin[i]);
    double r = rnd.nextDouble() * tot;
    for (int i = 0; i < wt.length; i++) {
      r -= wt[i] * (dmin == null ? 1 : dmin[i]);
      if (r <= 0) return i;
    }
    return wt.length - 1;
  }
}
