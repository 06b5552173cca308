package io.vqcodec.tools.train;

import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TensorFile.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns released tokenizer weights back into a {@link TrainTokenizer} checkpoint, so that training
 * continues from a release when its own checkpoint is gone: network weights (binary16 in the
 * release, so the first steps start from rounded values), the top-level codebook, and EMA state
 * rebuilt from the released code usage (sums = codebook x counts). Adam moments start at zero
 * ({@code TrainTokenizer} accepts a checkpoint without them); every code counts as used at the
 * release step. Residual stage codebooks of the release ({@code stage.N}, tok-v2) come back the
 * same way, as {@code vq.sN.*} with their EMA state from {@code stage.N.usage}.
 *
 * <p>{@code ResumeFromRelease --weights
 * models/src/main/resources/io/vqcodec/models/tok-v1/weights.vqt --step 13856 --out runs/tok-v1},
 * then the usual {@code TrainTokenizer} command with the same {@code --out}.
 */
public final class ResumeFromRelease {
  private ResumeFromRelease() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2)
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    Path weights = Paths.get(a.get("weights"));
    int step = Integer.parseInt(a.get("step"));
    Path out = Paths.get(a.getOrDefault("out", "runs/tok-v1"));
    Map<String, Tensor> w = TensorFile.read(weights);
    Map<String, Tensor> ck = new LinkedHashMap<>();
    ck.put("meta.step", new Tensor(new long[] {1}, new float[] {step}));
    ck.put("meta.vq_ready", new Tensor(new long[] {1}, new float[] {1}));
    for (Map.Entry<String, Tensor> e : w.entrySet()) {
      if (e.getKey().startsWith("net.")) ck.put(e.getKey(), e.getValue());
    }
    int k =
        w.keySet().stream()
            .filter(n -> n.startsWith("codebook."))
            .mapToInt(n -> Integer.parseInt(n.substring("codebook.".length())))
            .max()
            .orElseThrow(() -> new IOException(weights + " has no codebook"));
    Tensor cb = w.get("codebook." + k), usage = w.get("usage." + k);
    if (usage == null) throw new IOException(weights + " has no usage." + k);
    int dim = (int) cb.dims()[1];
    float[] count = usage.data(), sum = new float[k * dim];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < dim; j++) sum[i * dim + j] = cb.data()[i * dim + j] * count[i];
    }
    float[] lastUsed = new float[k];
    Arrays.fill(lastUsed, step);
    ck.put("vq.codebook", cb);
    ck.put("vq.ema_count", new Tensor(new long[] {k}, count));
    ck.put("vq.ema_sum", new Tensor(new long[] {k, dim}, sum));
    ck.put("vq.last_used", new Tensor(new long[] {k}, lastUsed));
    int stages = 1;
    for (int st = 2; w.containsKey("stage." + st); st++, stages++) {
      Tensor sc = w.get("stage." + st), su = w.get("stage." + st + ".usage");
      if (su == null) throw new IOException(weights + " has no stage." + st + ".usage");
      int ks = (int) sc.dims()[0];
      float[] ssum = new float[ks * dim], slast = new float[ks];
      for (int i = 0; i < ks; i++) {
        for (int j = 0; j < dim; j++) ssum[i * dim + j] = sc.data()[i * dim + j] * su.data()[i];
      }
      Arrays.fill(slast, step);
      String p = "vq.s" + st + ".";
      ck.put(p + "codebook", sc);
      ck.put(p + "ema_count", new Tensor(new long[] {ks}, su.data()));
      ck.put(p + "ema_sum", new Tensor(new long[] {ks, dim}, ssum));
      ck.put(p + "last_used", new Tensor(new long[] {ks}, slast));
    }
    if (stages > 1) ck.put("meta.stages", new Tensor(new long[] {1}, new float[] {stages}));
    Files.createDirectories(out);
    Path f = out.resolve("ckpt-" + step + ".vqt");
    TensorFile.write(f, ck);
    System.out.println(
        "wrote " + f + " (step " + step + ", K=" + k + ", " + ck.size() + " tensors)");
  }
}
