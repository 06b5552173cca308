package io.vqcodec.tools.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.vqcodec.neural.MaskNet;
import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TensorFile.Tensor;
import io.vqcodec.tokens.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Trains {@link MaskNet} on token-corpus windows with random and burst masks (cross-entropy on
 * masked positions), Adam with warm-up and a cosine schedule.
 *
 * <p>{@code TrainMaskPredictor --train runs/tokens/train.tok --val runs/tokens/val.tok --out
 * runs/mask-v1 [--arch 16,128,4,4] [--batch 16] [--steps 3000] [--max-steps N] [--lr 1e-3]
 * [--warmup 100] [--val-every 200] [--ckpt-minutes 5] [--seed 1]}. Batches draw the codebook level
 * 4096 (60%), 1024 (30%), 256/64/16 (10% together). Validation: 64 fixed windows of the validation
 * corpus per setting (seeded masks), top-1/top-5 on masked tokens at K=4096 and K=1024. Outputs:
 * {@code train-log.csv}, {@code val-log.csv}, {@code ckpt-<step>.vqt} (newest 3 kept; on SIGTERM
 * too). Resume: run the same command again.
 */
public final class TrainMaskPredictor {
  private final Map<String, String> a;
  private final MaskNet.Config cfg;
  private final Path out;
  private final int batch, steps, maxSteps, warmup, valEvery;
  private final float lr;
  private final double ckptMinutes;
  private NDManager base;
  private Map<String, NDArray> params;
  private final Map<String, NDArray> adamM = new LinkedHashMap<>(), adamV = new LinkedHashMap<>();
  private int step;
  private volatile boolean stopRequested;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private TrainMaskPredictor(Map<String, String> a) {
    this.a = a;
    this.cfg = MaskNet.Config.parse(a.getOrDefault("arch", "16,128,4,4"));
    this.out = Paths.get(a.getOrDefault("out", "runs/mask-v1"));
    this.batch = Integer.parseInt(a.getOrDefault("batch", "16"));
    this.steps = Integer.parseInt(a.getOrDefault("steps", "3000"));
    this.maxSteps = Integer.parseInt(a.getOrDefault("max-steps", String.valueOf(steps)));
    this.warmup = Integer.parseInt(a.getOrDefault("warmup", "100"));
    this.valEvery = Integer.parseInt(a.getOrDefault("val-every", "200"));
    this.lr = Float.parseFloat(a.getOrDefault("lr", "1e-3"));
    this.ckptMinutes = Double.parseDouble(a.getOrDefault("ckpt-minutes", "5"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2)
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    new TrainMaskPredictor(a).run();
  }

  private float lrAt(int s) {
    if (s < warmup) return lr * (s + 1) / warmup;
    double t = Math.min(1.0, (s - warmup) / (double) Math.max(1, steps - warmup));
    return (float) (lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t))));
  }

  private static int pickLevel(Random rnd) {
    double u = rnd.nextDouble();
    if (u < 0.6) return 0;
    if (u < 0.9) return 1;
    return 2 + rnd.nextInt(3);
  }

  private void run() throws Exception {
    Files.createDirectories(out);
    int s = cfg.side();
    MaskData train = MaskData.load(Paths.get(a.getOrDefault("train", "runs/tokens/train.tok")), s);
    MaskData valData = MaskData.load(Paths.get(a.getOrDefault("val", "runs/tokens/val.tok")), s);
    System.out.printf(
        Locale.ROOT,
        "%d train grids, %d val grids, arch %s, %d parameters%n",
        train.grids.size(),
        valData.grids.size(),
        cfg,
        MaskNet.paramCount(cfg));
    base = NDManager.newBaseManager();
    Path ck = newestCheckpoint();
    if (ck != null) {
      loadCheckpoint(ck);
      System.out.println("resumed from " + ck + " at step " + step);
    } else {
      params = MaskNet.toArrays(base, cfg, MaskNet.init(cfg, 1, tokenizerCodes()));
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        adamM.put(e.getKey(), base.zeros(e.getValue().getShape()));
        adamV.put(e.getKey(), base.zeros(e.getValue().getShape()));
      }
      step = 0;
    }
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      if (!e.getKey().startsWith("fixed.")) e.getValue().setRequiresGradient(true);
    }
    MaskNet net = new MaskNet(cfg, params);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopRequested = true;
                  try {
                    stopped.await(60, TimeUnit.SECONDS);
                  } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                  }
                }));
    Path trainLog = out.resolve("train-log.csv"), valLog = out.resolve("val-log.csv");
    if (!Files.exists(trainLog))
      Files.writeString(trainLog, "step,time_s,steps_per_s,lr,loss,top1_masked\n");
    if (!Files.exists(valLog)) {
      Files.writeString(valLog, "step,time_s,K,loss,top1,top5,masked_tokens\n");
    }
    Random rnd = new Random(Long.parseLong(a.getOrDefault("seed", "1")) * 1000003L + step);
    long startNs = System.nanoTime();
    double elapsedBase = readElapsed();
    long lastCkpt = System.nanoTime(), winStart = System.nanoTime();
    double sLoss = 0, sAcc = 0;
    int sN = 0;
    int t = s * s;
    long[] tok = new long[batch * t], coarse = new long[batch * t];
    int[] target = new int[batch * t];
    boolean[] masked = new boolean[batch * t];
    try {
      while (step < maxSteps && !stopRequested) {
        int li = pickLevel(rnd), k = MaskNet.LEVELS[li];
        for (int b = 0; b < batch; b++) {
          MaskData.Grid g = train.grids.get(rnd.nextInt(train.grids.size()));
          MaskData.sample(rnd, g, li, s, tok, coarse, target, masked, b * t);
        }
        float curLr = lrAt(step);
        float[] st;
        try (NDManager sub = base.newSubManager()) {
          attachAll(sub);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray[] r = loss(sub, net, tok, coarse, target, masked, batch, li, k);
            gc.backward(r[0]);
            st = new float[] {r[0].getFloat(), r[1].getFloat()};
          }
          adam(curLr);
        }
        sLoss += st[0];
        sAcc += st[1];
        sN++;
        step++;
        if (step % 25 == 0) {
          double secs = (System.nanoTime() - winStart) / 1e9;
          String line =
              String.format(
                  Locale.ROOT,
                  "%d,%.1f,%.3f,%.6f,%.4f,%.4f%n",
                  step,
                  elapsedBase + (System.nanoTime() - startNs) / 1e9,
                  sN / secs,
                  curLr,
                  sLoss / sN,
                  sAcc / sN);
          Files.writeString(trainLog, line, StandardOpenOption.APPEND);
          System.out.print(line);
          sLoss = sAcc = 0;
          sN = 0;
          winStart = System.nanoTime();
        }
        if (step % valEvery == 0) {
          for (int vk : new int[] {4096, 1024}) {
            String line =
                validate(net, valData, vk, elapsedBase + (System.nanoTime() - startNs) / 1e9);
            Files.writeString(valLog, line, StandardOpenOption.APPEND);
            System.out.print("val " + line);
          }
        }
        if ((System.nanoTime() - lastCkpt) / 60e9 >= ckptMinutes) {
          saveCheckpoint(elapsedBase + (System.nanoTime() - startNs) / 1e9);
          lastCkpt = System.nanoTime();
        }
      }
      saveCheckpoint(elapsedBase + (System.nanoTime() - startNs) / 1e9);
      System.out.println("stopped at step " + step);
    } finally {
      stopped.countDown();
    }
  }

  /** [mean CE over masked positions, top-1 accuracy over masked positions]. */
  private NDArray[] loss(
      NDManager sub,
      MaskNet net,
      long[] tok,
      long[] coarse,
      int[] target,
      boolean[] masked,
      int n,
      int li,
      int k) {
    int s = cfg.side(), t = s * s;
    int cnt = 0;
    for (int i = 0; i < n * t; i++) if (masked[i]) cnt++;
    long[] rows = new long[cnt];
    float[] tg = new float[cnt];
    for (int i = 0, j = 0; i < n * t; i++) {
      if (masked[i]) {
        rows[j] = i;
        tg[j++] = target[i];
      }
    }
    NDArray x = sub.create(tok, new Shape(n, t));
    NDArray c = sub.create(coarse, new Shape(n, t));
    NDArray h = net.hidden(x, c, s, s, li).reshape(n * (long) t, cfg.dim());
    NDArray hm = h.get(sub.create(rows));
    NDArray logits = net.logits(hm, k);
    NDArray tgt = sub.create(tg).toType(ai.djl.ndarray.types.DataType.INT64, false);
    NDArray oh = tgt.oneHot(k);
    NDArray logp = logits.logSoftmax(-1);
    NDArray ce = logp.mul(oh).sum(new int[] {-1}).neg().mean();
    NDArray acc =
        logits
            .stopGradient()
            .argMax(-1)
            .eq(tgt)
            .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
            .mean();
    return new NDArray[] {ce, acc};
  }

  private String validate(MaskNet net, MaskData val, int k, double time) {
    int li = MaskNet.levelIndex(k), s = cfg.side(), t = s * s, n = 16;
    Random vr = new Random(12345);
    double lossSum = 0;
    long top1 = 0, top5 = 0, total = 0;
    long[] tok = new long[n * t], coarse = new long[n * t];
    int[] target = new int[n * t];
    boolean[] masked = new boolean[n * t];
    for (int rep = 0; rep < 4; rep++) {
      for (int b = 0; b < n; b++) {
        MaskData.Grid g = val.grids.get(vr.nextInt(val.grids.size()));
        MaskData.sample(vr, g, li, s, tok, coarse, target, masked, b * t);
      }
      try (NDManager sub = base.newSubManager()) {
        attachAll(sub);
        NDArray x = sub.create(tok, new Shape(n, t));
        NDArray c = sub.create(coarse, new Shape(n, t));
        NDArray h = net.hidden(x, c, s, s, li).stopGradient().reshape(n * (long) t, cfg.dim());
        float[] lg = net.logits(h, k).logSoftmax(-1).toFloatArray();
        for (int i = 0; i < n * t; i++) {
          if (!masked[i]) continue;
          int y = target[i];
          float ly = lg[i * k + y];
          int better = 0;
          for (int j = 0; j < k; j++) if (lg[i * k + j] > ly) better++;
          if (better == 0) top1++;
          if (better < 5) top5++;
          lossSum -= ly;
          total++;
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "%d,%.1f,%d,%.4f,%.4f,%.4f,%d%n",
        step,
        time,
        k,
        lossSum / total,
        top1 / (double) total,
        top5 / (double) total,
        total);
  }

  private void attachAll(NDManager sub) {
    for (NDArray p : params.values()) p.tempAttach(sub);
    for (NDArray p : adamM.values()) p.tempAttach(sub);
    for (NDArray p : adamV.values()) p.tempAttach(sub);
  }

  /** Adam (beta1 0.9, beta2 0.98, eps 1e-8), bias-corrected; zeroes the gradients. */
  private void adam(float curLr) {
    float b1 = 0.9f, b2 = 0.98f;
    int t = step + 1;
    float c1 = (float) (1 - Math.pow(b1, t)), c2 = (float) (1 - Math.pow(b2, t));
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      if (e.getKey().startsWith("fixed.")) continue;
      NDArray p = e.getValue();
      NDArray g = p.getGradient();
      NDArray m = adamM.get(e.getKey()), v = adamV.get(e.getKey());
      m.muli(b1).addi(g.mul(1 - b1));
      v.muli(b2).addi(g.square().mul(1 - b2));
      NDArray upd = m.div(c1).div(v.div(c2).sqrt().add(1e-8f)).mul(curLr);
      p.subi(upd);
      g.muli(0f);
    }
  }

  /** The default tokenizer's codebooks at every level, from its released weights (the registry). */
  static Map<Integer, float[]> tokenizerCodes() throws IOException {
    Map<String, Tensor> t = TensorFile.read(ModelRegistry.builtIn().defaultTokenizer().weights());
    Map<Integer, float[]> out = new HashMap<>();
    for (int k : MaskNet.LEVELS) out.put(k, t.get("codebook." + k).data());
    return out;
  }

  private Path newestCheckpoint() throws IOException {
    try (Stream<Path> st = Files.list(out)) {
      return st.filter(p -> p.getFileName().toString().matches("ckpt-\\d+\\.vqt"))
          .max(Comparator.comparingInt(TrainMaskPredictor::ckptStep))
          .orElse(null);
    }
  }

  static int ckptStep(Path p) {
    String n = p.getFileName().toString();
    return Integer.parseInt(n.substring(5, n.length() - 4));
  }

  private double readElapsed() {
    try {
      Path p = out.resolve("elapsed.txt");
      return Files.exists(p) ? Double.parseDouble(Files.readString(p).trim()) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private synchronized void saveCheckpoint(double elapsed) throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("meta.step", new Tensor(new long[] {1}, new float[] {step}));
    try (NDManager sub = base.newSubManager()) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        long[] dims = e.getValue().getShape().getShape();
        t.put("net." + e.getKey(), new Tensor(dims, e.getValue().toFloatArray()));
        t.put("adam.m." + e.getKey(), new Tensor(dims, adamM.get(e.getKey()).toFloatArray()));
        t.put("adam.v." + e.getKey(), new Tensor(dims, adamV.get(e.getKey()).toFloatArray()));
      }
    }
    Path f = out.resolve("ckpt-" + step + ".vqt");
    TensorFile.write(f, t);
    Files.writeString(out.resolve("elapsed.txt"), String.format(Locale.ROOT, "%.1f", elapsed));
    Files.writeString(out.resolve("run.properties"), "arch=" + cfg + "\nstep=" + step + "\n");
    System.out.println("checkpoint " + f);
    try (Stream<Path> st = Files.list(out)) {
      List<Path> all =
          st.filter(p -> p.getFileName().toString().matches("ckpt-\\d+\\.vqt"))
              .sorted(Comparator.comparingInt(TrainMaskPredictor::ckptStep))
              .toList();
      for (int i = 0; i < all.size() - 3; i++) Files.deleteIfExists(all.get(i));
    }
  }

  private void loadCheckpoint(Path f) throws IOException {
    Map<String, Tensor> t = TensorFile.read(f);
    step = (int) t.get("meta.step").data()[0];
    Map<String, float[]> vals = new LinkedHashMap<>();
    for (String k : MaskNet.shapes(cfg).keySet()) vals.put(k, t.get("net." + k).data());
    params = MaskNet.toArrays(base, cfg, vals);
    for (Map.Entry<String, Shape> e : MaskNet.shapes(cfg).entrySet()) {
      // A committed checkpoint has no Adam moments (StripCheckpoint): they restart at zero.
      Tensor m = t.get("adam.m." + e.getKey()), v = t.get("adam.v." + e.getKey());
      adamM.put(
          e.getKey(), m == null ? base.zeros(e.getValue()) : base.create(m.data(), e.getValue()));
      adamV.put(
          e.getKey(), v == null ? base.zeros(e.getValue()) : base.create(v.data(), e.getValue()));
    }
  }
}
