package io.vqcodec.tools.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.vqcodec.neural.Codebook;
import io.vqcodec.neural.Ssim;
import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TensorFile.Tensor;
import io.vqcodec.neural.TokNet;
import io.vqcodec.neural.TokNetConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
import javax.imageio.ImageIO;

/**
 * Trains the VQ tokenizer ({@link TokNet} plus one shared EMA codebook). See models/README.md.
 *
 * <p>Quantizer: K codes of dimension d, nearest by squared distance; codebook updated by EMA (decay
 * 0.99, Laplace-smoothed counts) instead of a codebook loss, initialised by k-means on encoder
 * outputs collected during a short pure-autoencoder warm-up, with dead codes (unused for {@code
 * --dead-after} steps) re-seeded from random current encoder outputs; straight-through gradients
 * and a commitment loss (beta). Reconstruction loss: L1 + w * (1 - SSIM). Every sample gets a
 * random fine ratio r ~ U[0,1] and per-cell Bernoulli(r) granularity.
 *
 * <p>tok-v2 options (defaults keep tok-v1's training exactly): {@code --stages N} adds N-1 residual
 * VQ stages on the fine tokens ({@link ResidualStages}, {@code --stage-codebook K} codes each; the
 * decoder is fed the sum of the coded stages; every sample draws a ratio per extra stage and each
 * 16x16 cell keeps stage s+1 with that probability if it kept stage s, so one picture mixes cells
 * of 1..N stages). {@code --nested P}: with probability P a sample is coded with one of the nested
 * sub-codebooks ({@link ReleaseTokenizer#LEVELS}, the release's usage-weighted k-means of the
 * current codebook, refreshed every {@code --nested-every} steps; fine and coarse tokens, stage 1
 * only), so the decoder learns the centroid vectors it is fed at low rates. {@code --val-levels}
 * adds the nested levels to the validation log (and, with stages, stage 2 at the same nested levels
 * of its own codebook); {@code --val-at-start} validates before the first step; {@code --val-only}
 * validates the newest checkpoint and exits; {@code --val-log NAME} (default val-log.csv); {@code
 * --val-unquantized} adds the PSNR of every cell fine decoded from the encoder's outputs with no
 * quantizer at all (the autoencoder's own ceiling, which no stage count can pass).
 */
public final class TrainTokenizer {
  private final Map<String, String> a;
  private final TokNetConfig cfg;
  private final int K;
  private final Path out;
  private final int steps;
  private final int maxSteps;
  private final int smallSteps;
  private final int vqStart;
  private final int warmup;
  private final float lr;

  /** Warm restart (SGDR): from this step on, a second cosine cycle; 0 = none. */
  private final int restartAt;

  private final int restartSteps;
  private final float restartLr;
  private final float beta = 0.25f;

  /** Commitment weight of product stages' extra groups (stage 1 keeps {@link #beta}). */
  private final float groupBeta;

  /**
   * Product stages trained as an autoencoder first ({@code --groups-continuous}): the decoder gets
   * the extra groups' encoder outputs unquantized at every position, stage 1 stays quantized, the
   * extra groups still commit to their codebooks ({@link #groupBeta}) so that they stay
   * quantizable. This measures (and trains toward) the ceiling a wider latent allows; a later run
   * without the flag quantizes the groups. Validation's {@code psnr_fine_unquantized} is this run's
   * own figure.
   */
  private final boolean groupsContinuous;

  /**
   * A new decoder for an existing encoder ({@code --decoder-only}): only the decoder's weights
   * ({@code dec.*}) learn; the encoder, the codebooks and the stage codebooks stay exactly those of
   * the starting checkpoint, so the new decoder reads the old model's tokens unchanged (a faster or
   * better synthesis network for the same streams' token statistics). A decoder with fewer residual
   * blocks than the checkpoint's keeps the first ones. No codebook is updated, so the training
   * log's {@code codes_used_window} and {@code reseeded} stay 0.
   */
  private final boolean decoderOnly;

  private final float ssimW;
  private final int valEvery;
  private final int ckptMinutes;
  private final float emaDecay = 0.99f;
  private final int deadAfter;

  /** Fine-token VQ stages (1 = tok-v1), codes per extra stage. */
  private final int stages;

  private final int stageK;

  /** Probability that a sample is coded at a nested sub-codebook level (0 = tok-v1). */
  private final float nestedP;

  private final int nestedEvery;
  private final boolean valLevels;
  private final boolean valAtStart;
  private final boolean valUnquantized;

  /** Product stages (arch groups &gt; 1): stage s codes latent group s, see ResidualStages. */
  private final boolean product;

  private ResidualStages rs;

  /** Nested sub-codebooks (ReleaseTokenizer.LEVELS order) and the step they were made at. */
  private float[][] subBooks;

  private int subBooksStep = -1;

  private NDManager base;
  private Map<String, NDArray> params;
  private Map<String, NDArray> adamM = new LinkedHashMap<>(), adamV = new LinkedHashMap<>();
  private float[] cb, emaCount, emaSum;

  /**
   * {@code --rate-weight}: entropy-constrained quantization of stage 1 (fine and coarse tokens).
   * The search takes the code with the least squared distance plus this weight times its bits under
   * the codebook's own usage ({@link #stage1Book}), so that usage grows skewed where the token
   * model can use it; the EMA update then moves each code to the mean of what it was given. 0 (the
   * default) is the plain nearest code. Measured (results/tok-v3-design/val-design.md, ecvq): with
   * the usage feeding back into the bias the codebook collapses onto few codes, and no weight paid.
   */
  private float rateWeight;

  private int[] lastUsed;
  private boolean vqReady;
  private int step;
  private final List<float[]> reservoir = new ArrayList<>();
  private final Random rnd;
  private volatile boolean stopRequested;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private TrainTokenizer(Map<String, String> a) {
    this.a = a;
    cfg = TokNetConfig.parse(a.getOrDefault("arch", "16,64,128,128,1,2,1,1,3,2"));
    K = Integer.parseInt(a.getOrDefault("codebook", "4096"));
    out = Paths.get(a.getOrDefault("out", "runs/tok-v1"));
    steps = Integer.parseInt(a.getOrDefault("steps", "20000"));
    maxSteps = Integer.parseInt(a.getOrDefault("max-steps", String.valueOf(steps)));
    smallSteps = Integer.parseInt(a.getOrDefault("small-steps", String.valueOf(steps / 2)));
    vqStart = Integer.parseInt(a.getOrDefault("vq-start", "200"));
    warmup = Integer.parseInt(a.getOrDefault("warmup", "200"));
    lr = Float.parseFloat(a.getOrDefault("lr", "5e-4"));
    restartAt = Integer.parseInt(a.getOrDefault("restart-at", "0"));
    restartSteps = Integer.parseInt(a.getOrDefault("restart-steps", "4000"));
    restartLr = Float.parseFloat(a.getOrDefault("restart-lr", String.valueOf(lr * 0.3f)));
    ssimW = Float.parseFloat(a.getOrDefault("ssim-weight", "0.2"));
    valEvery = Integer.parseInt(a.getOrDefault("val-every", "500"));
    ckptMinutes = Integer.parseInt(a.getOrDefault("ckpt-minutes", "10"));
    deadAfter = Integer.parseInt(a.getOrDefault("dead-after", "300"));
    rnd = new Random(Long.parseLong(a.getOrDefault("seed", "7")));
    stages = Integer.parseInt(a.getOrDefault("stages", "1"));
    stageK = Integer.parseInt(a.getOrDefault("stage-codebook", "4096"));
    nestedP = Float.parseFloat(a.getOrDefault("nested", "0"));
    nestedEvery = Integer.parseInt(a.getOrDefault("nested-every", "250"));
    valLevels = a.containsKey("val-levels") || nestedP > 0;
    valAtStart = a.containsKey("val-at-start");
    valUnquantized = a.containsKey("val-unquantized");
    groupBeta = Float.parseFloat(a.getOrDefault("group-commit", "0.05"));
    groupsContinuous = a.containsKey("groups-continuous");
    decoderOnly = a.containsKey("decoder-only");
    rateWeight = Float.parseFloat(a.getOrDefault("rate-weight", "0"));
    if (!(rateWeight >= 0)) throw new IllegalArgumentException("--rate-weight must be >= 0");
    if (stages < 1) throw new IllegalArgumentException("--stages must be >= 1");
    if (cfg.groups > 1 && cfg.groups != stages)
      throw new IllegalArgumentException(
          "arch with " + cfg.groups + " latent groups needs --stages " + cfg.groups);
    product = cfg.groups > 1;
    if (groupsContinuous && !product)
      throw new IllegalArgumentException("--groups-continuous needs an arch with latent groups");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected " + args[i]);
      String k = args[i].substring(2);
      a.put(k, i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true");
    }
    new TrainTokenizer(a).run();
  }

  private float lrAt(int s) {
    if (restartAt > 0 && s >= restartAt) {
      // Second cycle: linear warm-up over the first 200 steps (Adam's moments were tuned to the
      // floor LR), then cosine from restartLr to 5% of it, constant after.
      int r = s - restartAt;
      if (r < warmup) return restartLr * (r + 1) / warmup;
      double t = Math.min(1.0, (r - warmup) / (double) Math.max(1, restartSteps - warmup));
      return (float) (restartLr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t))));
    }
    if (s < warmup) return lr * (s + 1) / warmup;
    double t = Math.min(1.0, (s - warmup) / (double) Math.max(1, steps - warmup));
    return (float) (lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t))));
  }

  private void run() throws Exception {
    Files.createDirectories(out);
    Path dataDir = Paths.get(a.getOrDefault("data", "../shared/data/train"));
    long t0 = System.nanoTime();
    ImageData data = ImageData.load(dataDir, out.resolveSibling("train-cache.bin"));
    System.out.printf(
        Locale.ROOT,
        "loaded %d training images in %.1f s%n",
        data.images.size(),
        (System.nanoTime() - t0) / 1e9);
    List<float[]> val = loadVal(a.containsKey("val") ? Paths.get(a.get("val")) : null, 256);
    System.out.printf(
        Locale.ROOT, "arch %s, %d parameters, K=%d%n", cfg, TokNet.paramCount(cfg), K);

    base = NDManager.newBaseManager();
    if (stages > 1) rs = new ResidualStages(stages, stageK, cfg.dim, product);
    Path ck = newestCheckpoint();
    if (ck != null) {
      loadCheckpoint(ck);
      System.out.println("resumed from " + ck + " at step " + step);
    } else if (decoderOnly) {
      throw new IllegalArgumentException(
          "--decoder-only trains a decoder for an existing encoder: put its checkpoint in " + out);
    } else {
      params = TokNet.toArrays(base, cfg, TokNet.init(cfg, 1));
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        adamM.put(e.getKey(), base.zeros(e.getValue().getShape()));
        adamV.put(e.getKey(), base.zeros(e.getValue().getShape()));
      }
      cb = new float[K * cfg.dim];
      emaCount = new float[K];
      emaSum = new float[K * cfg.dim];
      lastUsed = new int[K];
      step = 0;
    }
    if (decoderOnly && !vqReady)
      throw new IllegalArgumentException(
          "--decoder-only needs a checkpoint past the quantizer's start (step " + vqStart + ")");
    for (NDArray p : params.values()) p.setRequiresGradient(true);
    TokNet net = new TokNet(cfg, params);

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

    Path trainLog = out.resolve("train-log.csv"),
        valLog = out.resolve(a.getOrDefault("val-log", "val-log.csv"));
    if (!Files.exists(trainLog)) {
      Files.writeString(
          trainLog,
          "step,time_s,img_per_s,lr,crop,loss,l1,ssim,commit,psnr_train,codes_used_window,reseeded\n");
    }
    if (!Files.exists(valLog)) {
      Files.writeString(
          valLog,
          "step,time_s,psnr_fine,ssim_fine,psnr_coarse,ssim_coarse,psnr_mix,ssim_mix,used_fine,used_coarse,perplexity"
              + valExtraHeader()
              + "\n");
    }
    if (rs != null && !rs.ready && vqReady) initStages(net, data);
    if ((valAtStart || a.containsKey("val-only")) && vqReady && !val.isEmpty()) {
      String line = validate(net, val, readElapsed());
      Files.writeString(valLog, line, StandardOpenOption.APPEND);
      System.out.print("val " + line);
    }
    if (a.containsKey("val-only")) {
      stopped.countDown();
      return;
    }
    long startNs = System.nanoTime();
    double elapsedBase = readElapsed();
    long lastCkpt = System.nanoTime();
    double sLoss = 0, sL1 = 0, sSsim = 0, sCommit = 0, sMse = 0;
    int sN = 0, reseeded = 0, imgs = 0, nonFinite = 0;
    long winStart = System.nanoTime();
    boolean[] usedWin = new boolean[K];
    float[] xb = null;
    int logEvery = 50;
    try {
      while (step < maxSteps && !stopRequested) {
        boolean small = step < smallSteps;
        int size = small ? 64 : 128, n = small ? 32 : 16;
        if (xb == null || xb.length != n * 3 * size * size) xb = new float[n * 3 * size * size];
        data.batch(rnd, n, size, xb);
        int c16 = size / 16, f8 = size / 8;
        float[] m8 = randomMask(n, c16);
        float[] m16 = subsample(m8, n, c16);
        float curLr = lrAt(step);
        boolean vq = step >= vqStart;
        if (vq && !vqReady) kmeansInit();
        if (vq && rs != null && !rs.ready) initStages(net, data);
        if (vq && nestedP > 0 && (subBooks == null || step - subBooksStep >= nestedEvery))
          refreshSubBooks();
        try (NDManager sub = base.newSubManager()) {
          attachAll(sub);
          NDArray x = sub.create(xb, new Shape(n, 3, size, size));
          NDArray mask = sub.create(m8, new Shape(n, 1, f8, f8));
          NDArray mask16 = sub.create(m16, new Shape(n, 1, c16, c16));
          float[] zfRows, zcRows, z1Rows = null;
          int[] idxF = null, idxC = null;
          ResidualStages.Coded coded = null;
          float[] stats;
          boolean finite;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray[] z = net.encode(x);
            if (decoderOnly) z = new NDArray[] {z[0].stopGradient(), z[1].stopGradient()};
            zfRows = z[0].stopGradient().transpose(0, 2, 3, 1).toFloatArray();
            zcRows = z[1].stopGradient().transpose(0, 2, 3, 1).toFloatArray();
            NDArray inF = z[0], inC = z[1], commit = null, gradMask = null, groupCommit = null;
            if (product && !vq) {
              // Before the quantizer starts, every group reaches the decoder as the encoder gives
              // it, marked present (the decoder's fine input has a presence plane per extra group).
              inF = z[0].concat(sub.ones(new Shape(n, cfg.groups - 1, f8, f8)), 1);
            }
            if (vq) {
              Codebook book = stage1Book();
              z1Rows = product ? rs.group(zfRows, 1) : zfRows;
              idxF = nearestRows(book, z1Rows);
              idxC = nearestRows(book, zcRows);
              NDArray qf = book.lookup(sub, idxF, n, f8, f8);
              NDArray qc = book.lookup(sub, idxC, n, c16, c16);
              NDArray feedF = qf, feedC = qc;
              if (rs != null || nestedP > 0) {
                float[] q1 = ResidualStages.gather(cb, idxF, cfg.dim);
                float[] fr = q1.clone(), cr = ResidualStages.gather(cb, idxC, cfg.dim);
                boolean[] nested = new boolean[n];
                if (nestedP > 0) applyNested(z1Rows, zcRows, fr, cr, n, nested);
                if (rs != null) {
                  coded = rs.quantize(zfRows, q1, this::nearestRows);
                  boolean[][] keep = keptStages(n, c16, nested);
                  if (product && groupsContinuous) {
                    // Every group at every position, as the encoder gives it (straight-through
                    // below then passes the encoder's own values and gradient).
                    for (boolean[] k : keep) java.util.Arrays.fill(k, true);
                    float[][] groups = new float[cfg.groups - 1][];
                    for (int e = 0; e < groups.length; e++) groups[e] = rs.group(zfRows, e + 2);
                    float[][] fm = productFeed(fr, groups, keep);
                    feedF = rowsToNchw(sub, fm[0], n, f8, cfg.fineInput());
                    gradMask = rowsToNchw(sub, fm[1], n, f8, cfg.fineInput());
                  } else if (product) {
                    float[][] fm = productFeed(fr, coded.codes(), keep);
                    feedF = rowsToNchw(sub, fm[0], n, f8, cfg.fineInput());
                    gradMask = rowsToNchw(sub, fm[1], n, f8, cfg.fineInput());
                  } else {
                    addStages(fr, coded.codes(), keep);
                    feedF = rowsToNchw(sub, fr, n, f8);
                  }
                } else {
                  feedF = rowsToNchw(sub, fr, n, f8);
                }
                feedC = rowsToNchw(sub, cr, n, c16);
              }
              if (product) {
                // Straight-through on the groups a cell codes; the presence planes carry no
                // gradient (their mask is 0).
                NDArray zExt =
                    z[0].concat(sub.zeros(new Shape(n, cfg.groups - 1, f8, f8)), 1).mul(gradMask);
                inF = zExt.add(feedF.sub(zExt).stopGradient());
                // Stage 1 commits as before; the extra groups more weakly, so that they are free to
                // carry what the decoder needs instead of shrinking onto young codebooks.
                float[] all = concatGroups(ResidualStages.gather(cb, idxF, cfg.dim), coded.codes());
                NDArray sq = z[0].sub(rowsToNchw(sub, all, n, f8, cfg.fineLatent())).square();
                commit = sq.get(":, 0:" + cfg.dim).mean().add(z[1].sub(qc).square().mean());
                groupCommit = sq.get(":, " + cfg.dim + ":").mean();
              } else {
                inF = z[0].add(feedF.sub(z[0]).stopGradient());
                commit = z[0].sub(qf).square().mean().add(z[1].sub(qc).square().mean());
              }
              inC = z[1].add(feedC.sub(z[1]).stopGradient());
            }
            NDArray y = net.decode(inF, inC, mask, mask16);
            NDArray diff = y.sub(x);
            NDArray l1 = diff.abs().mean();
            NDArray ssim = Ssim.ssim(y, x).mean();
            NDArray loss = l1.add(ssim.mul(-ssimW).add(ssimW));
            if (commit != null) loss = loss.add(commit.mul(beta));
            if (groupCommit != null) loss = loss.add(groupCommit.mul(groupBeta));
            finite = Float.isFinite(loss.getFloat());
            if (finite) gc.backward(loss);
            stats =
                new float[] {
                  loss.getFloat(),
                  l1.getFloat(),
                  ssim.getFloat(),
                  commit == null ? 0f : commit.getFloat(),
                  diff.stopGradient().square().mean().getFloat()
                };
          }
          if (!finite) {
            // A non-finite loss (an overflow) would poison every weight through Adam: the step is
            // skipped, weights and codebooks untouched, and counted in the log.
            nonFinite++;
            System.out.println("step " + step + ": non-finite loss, update skipped");
            step++;
            continue;
          }
          adam(curLr);
          if (vq && !decoderOnly) {
            emaUpdate(z1Rows, idxF, zcRows, idxC, usedWin);
            if (step % 50 == 0) reseeded += reseed(z1Rows, zcRows);
            if (coded != null) {
              rs.emaUpdate(coded, step);
              if (step % 50 == 0) reseeded += rs.reseed(coded, step, deadAfter, rnd);
            }
          } else if (!vq) {
            addReservoir(product ? rs.group(zfRows, 1) : zfRows);
            addReservoir(zcRows);
          }
          sLoss += stats[0];
          sL1 += stats[1];
          sSsim += stats[2];
          sCommit += stats[3];
          sMse += stats[4];
          sN++;
          imgs += n;
        }
        step++;
        if (step % logEvery == 0) {
          double secs = (System.nanoTime() - winStart) / 1e9;
          int used = 0;
          for (boolean u : usedWin) if (u) used++;
          String line =
              String.format(
                  Locale.ROOT,
                  "%d,%.1f,%.2f,%.6f,%d,%.5f,%.5f,%.5f,%.5f,%.3f,%d,%d%n",
                  step,
                  elapsedBase + (System.nanoTime() - startNs) / 1e9,
                  imgs / secs,
                  curLr,
                  size,
                  sLoss / sN,
                  sL1 / sN,
                  sSsim / sN,
                  sCommit / sN,
                  10 * Math.log10(1.0 / (sMse / sN)),
                  used,
                  reseeded);
          Files.writeString(trainLog, line, StandardOpenOption.APPEND);
          System.out.print(line);
          sLoss = sL1 = sSsim = sCommit = sMse = 0;
          sN = imgs = reseeded = 0;
          usedWin = new boolean[K];
          winStart = System.nanoTime();
        }
        if (vqReady && (step % valEvery == 0 || step == vqStart + 1) && !val.isEmpty()) {
          String line = validate(net, val, elapsedBase + (System.nanoTime() - startNs) / 1e9);
          Files.writeString(valLog, line, StandardOpenOption.APPEND);
          System.out.print("val " + line);
        }
        if ((System.nanoTime() - lastCkpt) / 60e9 >= ckptMinutes) {
          saveCheckpoint(elapsedBase + (System.nanoTime() - startNs) / 1e9);
          lastCkpt = System.nanoTime();
        }
      }
      if (step >= maxSteps && step % valEvery != 0 && vqReady && !val.isEmpty()) {
        String line = validate(net, val, elapsedBase + (System.nanoTime() - startNs) / 1e9);
        Files.writeString(valLog, line, StandardOpenOption.APPEND);
        System.out.print("val " + line);
      }
      saveCheckpoint(elapsedBase + (System.nanoTime() - startNs) / 1e9);
      System.out.println(
          "stopped at step " + step + " (" + nonFinite + " non-finite steps skipped)");
    } finally {
      stopped.countDown();
    }
  }

  // ---- optimiser -----------------------------------------------------------------------------

  private void attachAll(NDManager sub) {
    for (NDArray p : params.values()) p.tempAttach(sub);
    for (NDArray p : adamM.values()) p.tempAttach(sub);
    for (NDArray p : adamV.values()) p.tempAttach(sub);
  }

  /** Adam (beta1 0.9, beta2 0.99, eps 1e-8), bias-corrected; zeroes the gradients. */
  private void adam(float curLr) {
    float b1 = 0.9f, b2 = 0.99f;
    int t = step + 1;
    float c1 = (float) (1 - Math.pow(b1, t)), c2 = (float) (1 - Math.pow(b2, t));
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      if (decoderOnly && !e.getKey().startsWith("dec.")) continue;
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

  // ---- quantiser -----------------------------------------------------------------------------

  /**
   * The stage-1 codebook as the search uses it: with {@link #rateWeight}, each code's squared
   * distance is charged {@code rateWeight * -log2 p(k)}, p the EMA usage smoothed by a hundredth of
   * the mean count (so that a code nobody uses costs much, but not infinitely, until it is
   * re-seeded at the mean count).
   */
  private Codebook stage1Book() {
    if (rateWeight == 0) return new Codebook(cb, cfg.dim);
    double total = 0;
    for (float c : emaCount) total += c;
    double floor = 0.01 * total / K, norm = total + K * floor;
    float[] bias = new float[K];
    for (int k = 0; k < K; k++) {
      bias[k] = (float) (rateWeight * -Math.log((emaCount[k] + floor) / norm) / Math.log(2));
    }
    return new Codebook(cb, cfg.dim, bias);
  }

  private int[] nearestRows(Codebook book, float[] rows) {
    try (NDManager m = base.newSubManager()) {
      int n = rows.length / cfg.dim;
      NDArray z = m.create(rows, new Shape(n, cfg.dim)).transpose().reshape(1, cfg.dim, 1, n);
      return book.nearest(m, z);
    }
  }

  private void addReservoir(float[] rows) {
    int d = cfg.dim;
    for (int i = 0; i < rows.length / d; i++) {
      float[] r = new float[d];
      System.arraycopy(rows, i * d, r, 0, d);
      if (reservoir.size() < 40000) {
        reservoir.add(r);
      } else {
        reservoir.set(rnd.nextInt(reservoir.size()), r);
      }
    }
  }

  /** k-means (8 Lloyd iterations) of the warm-up encoder outputs into K codes. */
  private void kmeansInit() {
    int d = cfg.dim, n = reservoir.size();
    if (n == 0)
      throw new IllegalStateException("no encoder outputs collected; vq-start must be > 0");
    float[] rows = new float[n * d];
    for (int i = 0; i < n; i++) System.arraycopy(reservoir.get(i), 0, rows, i * d, d);
    for (int k = 0; k < K; k++) {
      System.arraycopy(rows, rnd.nextInt(n) * d, cb, k * d, d);
      for (int j = 0; j < d; j++) cb[k * d + j] += (float) (rnd.nextGaussian() * 1e-3);
    }
    for (int it = 0; it < 8; it++) {
      int[] idx = nearestRows(new Codebook(cb, d), rows);
      double[] sum = new double[K * d];
      int[] cnt = new int[K];
      for (int i = 0; i < n; i++) {
        cnt[idx[i]]++;
        for (int j = 0; j < d; j++) sum[idx[i] * d + j] += rows[i * d + j];
      }
      for (int k = 0; k < K; k++) {
        if (cnt[k] > 0) {
          for (int j = 0; j < d; j++) cb[k * d + j] = (float) (sum[k * d + j] / cnt[k]);
        } else {
          System.arraycopy(rows, rnd.nextInt(n) * d, cb, k * d, d);
        }
      }
    }
    for (int k = 0; k < K; k++) {
      emaCount[k] = 1f;
      System.arraycopy(cb, k * d, emaSum, k * d, d);
      lastUsed[k] = step;
    }
    reservoir.clear();
    vqReady = true;
    System.out.println("k-means codebook init from " + n + " vectors at step " + step);
  }

  private void emaUpdate(float[] zf, int[] idxF, float[] zc, int[] idxC, boolean[] usedWin) {
    int d = cfg.dim;
    float[] cnt = new float[K];
    float[] sum = new float[K * d];
    accumulate(zf, idxF, cnt, sum, usedWin);
    accumulate(zc, idxC, cnt, sum, usedWin);
    double total = 0;
    for (int k = 0; k < K; k++) {
      emaCount[k] = emaDecay * emaCount[k] + (1 - emaDecay) * cnt[k];
      total += emaCount[k];
      for (int j = 0; j < d; j++)
        emaSum[k * d + j] = emaDecay * emaSum[k * d + j] + (1 - emaDecay) * sum[k * d + j];
    }
    double eps = 1e-5;
    for (int k = 0; k < K; k++) {
      double c = (emaCount[k] + eps) / (total + K * eps) * total;
      for (int j = 0; j < d; j++) cb[k * d + j] = (float) (emaSum[k * d + j] / c);
    }
  }

  private void accumulate(float[] rows, int[] idx, float[] cnt, float[] sum, boolean[] usedWin) {
    int d = cfg.dim;
    for (int i = 0; i < idx.length; i++) {
      int k = idx[i];
      cnt[k]++;
      lastUsed[k] = step;
      usedWin[k] = true;
      for (int j = 0; j < d; j++) sum[k * d + j] += rows[i * d + j];
    }
  }

  /** Replaces codes unused for {@code deadAfter} steps by random current encoder outputs. */
  private int reseed(float[] zf, float[] zc) {
    int d = cfg.dim, nf = zf.length / d, nc = zc.length / d, r = 0;
    double mean = 0;
    for (float c : emaCount) mean += c;
    mean /= K;
    for (int k = 0; k < K; k++) {
      if (step - lastUsed[k] < deadAfter) continue;
      int i = rnd.nextInt(nf + nc);
      float[] src = i < nf ? zf : zc;
      int off = (i < nf ? i : i - nf) * d;
      for (int j = 0; j < d; j++) {
        cb[k * d + j] = src[off + j] + (float) (rnd.nextGaussian() * 1e-3);
        emaSum[k * d + j] = (float) (cb[k * d + j] * mean);
      }
      emaCount[k] = (float) mean;
      lastUsed[k] = step;
      r++;
    }
    return r;
  }

  /** The 1/16 mask of a 1/8 mask (top-left of each 2x2 cell). */
  static float[] subsample(float[] m8, int n, int c16) {
    int f8 = 2 * c16;
    float[] out = new float[n * c16 * c16];
    for (int b = 0; b < n; b++) {
      for (int y = 0; y < c16; y++) {
        for (int x = 0; x < c16; x++)
          out[(b * c16 + y) * c16 + x] = m8[b * f8 * f8 + 2 * y * f8 + 2 * x];
      }
    }
    return out;
  }

  private float[] randomMask(int n, int c16) {
    int f8 = 2 * c16;
    float[] m = new float[n * f8 * f8];
    for (int b = 0; b < n; b++) {
      double r = rnd.nextDouble();
      for (int cy = 0; cy < c16; cy++) {
        for (int cx = 0; cx < c16; cx++) {
          float v = rnd.nextDouble() < r ? 1f : 0f;
          for (int k = 0; k < 4; k++)
            m[b * f8 * f8 + (2 * cy + (k >> 1)) * f8 + 2 * cx + (k & 1)] = v;
        }
      }
    }
    return m;
  }

  // ---- validation ----------------------------------------------------------------------------

  static List<float[]> loadVal(Path dir, int size) throws IOException {
    List<float[]> out = new ArrayList<>();
    if (dir == null) return out;
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).filter(ImageData::isImage).sorted().toList();
    }
    for (Path f : files) {
      BufferedImage img;
      try {
        img = ImageIO.read(f.toFile());
      } catch (IOException | RuntimeException e) {
        img = null;
      }
      if (img == null || img.getWidth() < size || img.getHeight() < size) {
        System.err.println("val: skipping " + f);
        continue;
      }
      int x0 = (img.getWidth() - size) / 2, y0 = (img.getHeight() - size) / 2;
      out.add(io.vqcodec.neural.Pixels.toPlanar(img.getSubimage(x0, y0, size, size), size, size));
    }
    System.out.println("validation: " + out.size() + " center crops of " + size);
    return out;
  }

  /** Columns the tok-v2 options add to val-log.csv (none for tok-v1's options). */
  private String valExtraHeader() {
    StringBuilder h = new StringBuilder();
    for (int st = 2; st <= stages; st++) {
      h.append(",psnr_fine_s")
          .append(st)
          .append(",ssim_fine_s")
          .append(st)
          .append(",psnr_mix_s")
          .append(st)
          .append(",used_s")
          .append(st);
    }
    if (valLevels)
      for (int l : ReleaseTokenizer.LEVELS)
        h.append(",psnr_fine_k").append(l).append(",psnr_mix_k").append(l);
    if (valLevels && stages > 1)
      for (int l : ReleaseTokenizer.LEVELS) h.append(",psnr_fine_s2k").append(l);
    if (valUnquantized) h.append(",psnr_fine_unquantized");
    return h.toString();
  }

  private String validate(TokNet net, List<float[]> val, double time) {
    int size = 256, n = val.size(), f8 = size / 8, c16 = size / 16, d = cfg.dim;
    double[][] psnr = new double[3][], ssim = new double[3][];
    boolean[] usedF = new boolean[K], usedC = new boolean[K];
    long[] hist = new long[K];
    Random mr = new Random(99);
    float[] half = new float[f8 * f8];
    for (int cy = 0; cy < c16; cy++) {
      for (int cx = 0; cx < c16; cx++) {
        float v = mr.nextBoolean() ? 1f : 0f;
        for (int k = 0; k < 4; k++) half[(2 * cy + (k >> 1)) * f8 + 2 * cx + (k & 1)] = v;
      }
    }
    float[] all = new float[f8 * f8];
    java.util.Arrays.fill(all, 1f);
    for (int mode = 0; mode < 3; mode++) {
      psnr[mode] = new double[n];
      ssim[mode] = new double[n];
    }
    int extra = rs == null ? 0 : rs.extra();
    double[][] sPsnr = new double[extra][n],
        sSsim = new double[extra][n],
        sMix = new double[extra][n];
    boolean[][] sUsed = new boolean[extra][stageK];
    int nl = valLevels ? ReleaseTokenizer.LEVELS.length : 0;
    if (nl > 0 && subBooksStep != step) refreshSubBooks();
    double[][] lFine = new double[nl][n], lMix = new double[nl][n];
    // stage 2 at the nested levels of its own codebook (the release's k-means, applied to stage 2)
    int n2 = extra > 0 ? nl : 0;
    float[][] s2Books = new float[n2][];
    for (int l = 0; l < n2; l++) {
      int lv = ReleaseTokenizer.LEVELS[l];
      s2Books[l] = ReleaseTokenizer.kmeans(rs.cb[0], rs.emaCount[0], d, lv, new Random(lv), 50)[0];
    }
    double[][] s2Fine = new double[n2][n];
    double[] unquantized = new double[n];
    Codebook book = stage1Book();
    for (int i = 0; i < n; i++) {
      try (NDManager sub = base.newSubManager()) {
        for (NDArray p : params.values()) p.tempAttach(sub);
        NDArray x = sub.create(val.get(i), new Shape(1, 3, size, size));
        NDArray[] z = net.encode(x);
        int[] idxF = book.nearest(sub, product ? z[0].get(":, 0:" + d) : z[0]),
            idxC = book.nearest(sub, z[1]);
        for (int k : idxF) {
          usedF[k] = true;
          hist[k]++;
        }
        for (int k : idxC) {
          usedC[k] = true;
          hist[k]++;
        }
        NDArray qc = book.lookup(sub, idxC, 1, c16, c16);
        NDArray qf =
            product
                ? fineFeed(sub, ResidualStages.gather(cb, idxF, d), new float[extra][], 1, 1, f8)
                : book.lookup(sub, idxF, 1, f8, f8);
        for (int mode = 0; mode < 3; mode++) {
          float[] mk = mode == 2 ? half : mode == 0 ? all : new float[f8 * f8];
          double[] r = score(sub, net, qf, qc, mk, x, true);
          psnr[mode][i] = r[0];
          ssim[mode][i] = r[1];
        }
        if (valUnquantized) {
          NDArray zf = product ? z[0].concat(sub.ones(new Shape(1, extra, f8, f8)), 1) : z[0];
          unquantized[i] = score(sub, net, zf, z[1], all, x, false)[0];
        }
        if (extra > 0 || nl > 0) {
          float[] zf = z[0].transpose(0, 2, 3, 1).toFloatArray(),
              zc = z[1].transpose(0, 2, 3, 1).toFloatArray();
          if (extra > 0) {
            float[] q1 = ResidualStages.gather(cb, idxF, d);
            ResidualStages.Coded coded = rs.quantize(zf, q1, this::nearestRows);
            for (int s = 0; s < extra; s++) {
              for (int k : coded.idx()[s]) sUsed[s][k] = true;
              NDArray qs = fineFeed(sub, q1, coded.codes(), s + 2, 1, f8);
              double[] r = score(sub, net, qs, qc, all, x, true);
              sPsnr[s][i] = r[0];
              sSsim[s][i] = r[1];
              sMix[s][i] = score(sub, net, qs, qc, half, x, false)[0];
            }
            for (int l = 0; l < n2; l++) {
              float[] r1 = coded.residual()[0];
              float[][] c2 = new float[extra][];
              c2[0] =
                  ResidualStages.gather(
                      s2Books[l], nearestRows(new Codebook(s2Books[l], d), r1), d);
              s2Fine[l][i] = score(sub, net, fineFeed(sub, q1, c2, 2, 1, f8), qc, all, x, false)[0];
            }
          }
          for (int l = 0; l < nl; l++) {
            Codebook lb = new Codebook(subBooks[l], d);
            float[] zf1 = product ? rs.group(zf, 1) : zf;
            NDArray lf =
                fineFeed(
                    sub,
                    ResidualStages.gather(subBooks[l], nearestRows(lb, zf1), d),
                    new float[extra][],
                    1,
                    1,
                    f8);
            NDArray lc =
                rowsToNchw(sub, ResidualStages.gather(subBooks[l], nearestRows(lb, zc), d), 1, c16);
            lFine[l][i] = score(sub, net, lf, lc, all, x, false)[0];
            lMix[l][i] = score(sub, net, lf, lc, half, x, false)[0];
          }
        }
      }
    }
    int uf = 0, uc = 0;
    for (int k = 0; k < K; k++) {
      if (usedF[k]) uf++;
      if (usedC[k]) uc++;
    }
    long tot = 0;
    for (long h : hist) tot += h;
    double ent = 0;
    for (long h : hist) if (h > 0) ent -= (h / (double) tot) * Math.log(h / (double) tot);
    StringBuilder ex = new StringBuilder();
    for (int s = 0; s < extra; s++) {
      int u = 0;
      for (boolean b : sUsed[s]) if (b) u++;
      ex.append(
          String.format(
              Locale.ROOT, ",%.3f,%.4f,%.3f,%d", mean(sPsnr[s]), mean(sSsim[s]), mean(sMix[s]), u));
    }
    for (int l = 0; l < nl; l++)
      ex.append(String.format(Locale.ROOT, ",%.3f,%.3f", mean(lFine[l]), mean(lMix[l])));
    for (int l = 0; l < n2; l++) ex.append(String.format(Locale.ROOT, ",%.3f", mean(s2Fine[l])));
    if (valUnquantized) ex.append(String.format(Locale.ROOT, ",%.3f", mean(unquantized)));
    return String.format(
        Locale.ROOT,
        "%d,%.1f,%.3f,%.4f,%.3f,%.4f,%.3f,%.4f,%d,%d,%.1f%s%n",
        step,
        time,
        mean(psnr[0]),
        mean(ssim[0]),
        mean(psnr[1]),
        mean(ssim[1]),
        mean(psnr[2]),
        mean(ssim[2]),
        uf,
        uc,
        Math.exp(ent),
        ex);
  }

  /** PSNR (and SSIM when asked) of the 8-bit decode of one picture for fine mask {@code mk}. */
  private double[] score(
      NDManager sub, TokNet net, NDArray qf, NDArray qc, float[] mk, NDArray x, boolean withSsim) {
    int f8 = (int) qf.getShape().get(2), c16 = f8 / 2;
    NDArray y =
        net.decode(
            qf,
            qc,
            sub.create(mk, new Shape(1, 1, f8, f8)),
            sub.create(subsample(mk, 1, c16), new Shape(1, 1, c16, c16)));
    NDArray yq = y.clip(0f, 1f).mul(255f).round().div(255f);
    double mse = yq.sub(x).square().mean().getFloat();
    return new double[] {
      10 * Math.log10(1.0 / Math.max(mse, 1e-10)), withSsim ? Ssim.ssim(yq, x).getFloat(0) : 0
    };
  }

  // ---- residual stages and nested levels (tok-v2)
  // ------------------------------------------------

  /** Rows (n, h, w, dim) in raster order as an (n, dim, h, w) array on {@code m}; square grids. */
  private NDArray rowsToNchw(NDManager m, float[] rows, int n, int h) {
    return rowsToNchw(m, rows, n, h, cfg.dim);
  }

  /** Rows of {@code c} values (n, h, w, c) as an (n, c, h, w) array on {@code m}; square grids. */
  private static NDArray rowsToNchw(NDManager m, float[] rows, int n, int h, int c) {
    return m.create(rows, new Shape(n, h, h, c)).transpose(0, 3, 1, 2);
  }

  /**
   * Product stages: the decoder's fine input rows ({@link TokNetConfig#fineInput} values per
   * position: group 1 from {@code q1}, group s from stage s's codes where {@code keep[s-2]}, else
   * 0, then a presence plane per extra stage) and the straight-through gradient mask rows (1 on
   * group 1, keep on group s, 0 on the presence planes).
   */
  private float[][] productFeed(float[] q1, float[][] codes, boolean[][] keep) {
    int d = cfg.dim, g = cfg.groups, c = cfg.fineInput(), n = q1.length / d;
    float[] feed = new float[n * c], mask = new float[n * c];
    for (int i = 0; i < n; i++) {
      System.arraycopy(q1, i * d, feed, i * c, d);
      java.util.Arrays.fill(mask, i * c, i * c + d, 1f);
      for (int e = 0; e < g - 1; e++) {
        if (!keep[e][i]) continue;
        System.arraycopy(codes[e], i * d, feed, i * c + (e + 1) * d, d);
        java.util.Arrays.fill(mask, i * c + (e + 1) * d, i * c + (e + 2) * d, 1f);
        feed[i * c + g * d + e] = 1f;
      }
    }
    return new float[][] {feed, mask};
  }

  /** Product rows: group 1 from {@code q1}, group s from {@code codes[s-2]}. */
  private float[] concatGroups(float[] q1, float[][] codes) {
    int d = cfg.dim, w = cfg.fineLatent(), n = q1.length / d;
    float[] out = new float[n * w];
    for (int i = 0; i < n; i++) {
      System.arraycopy(q1, i * d, out, i * w, d);
      for (int e = 0; e < codes.length; e++)
        System.arraycopy(codes[e], i * d, out, i * w + (e + 1) * d, d);
    }
    return out;
  }

  /**
   * The decoder's fine input when every fine position codes its first {@code kept} stages: the sum
   * of the codes (residual stages) or the groups side by side (product stages).
   */
  private NDArray fineFeed(NDManager m, float[] q1, float[][] codes, int kept, int n, int f8) {
    int positions = q1.length / cfg.dim;
    if (product) {
      boolean[][] keep = new boolean[cfg.groups - 1][positions];
      for (int e = 0; e < kept - 1; e++) java.util.Arrays.fill(keep[e], true);
      return rowsToNchw(m, productFeed(q1, codes, keep)[0], n, f8, cfg.fineInput());
    }
    float[] sum = q1.clone();
    for (int e = 0; e < kept - 1; e++) for (int t = 0; t < sum.length; t++) sum[t] += codes[e][t];
    return rowsToNchw(m, sum, n, f8);
  }

  /**
   * k-means init of the residual stages from about 40,000 fine encoder outputs of fresh training
   * crops.
   */
  private void initStages(TokNet net, ImageData data) {
    int n = 16, size = 128, per = n * (size / 8) * (size / 8), d = cfg.dim;
    int batches = Math.max(1, (40000 + per - 1) / per);
    int w = cfg.fineLatent();
    float[] z = new float[batches * per * w], q = new float[batches * per * d];
    float[] xb = new float[n * 3 * size * size];
    Codebook book = stage1Book();
    long t0 = System.nanoTime();
    for (int b = 0; b < batches; b++) {
      data.batch(rnd, n, size, xb);
      try (NDManager sub = base.newSubManager()) {
        for (NDArray p : params.values()) p.tempAttach(sub);
        float[] rows =
            net.encode(sub.create(xb, new Shape(n, 3, size, size)))[0]
                .transpose(0, 2, 3, 1)
                .toFloatArray();
        System.arraycopy(rows, 0, z, b * per * w, rows.length);
        float[] q1 =
            ResidualStages.gather(cb, nearestRows(book, product ? rs.group(rows, 1) : rows), d);
        System.arraycopy(q1, 0, q, b * per * d, q1.length);
      }
    }
    rs.init(z, q, this::nearestRows, rnd, step);
    System.out.printf(
        Locale.ROOT,
        "k-means init of %d residual stage(s), %d codes each, from %d vectors in %.1f s%n",
        rs.extra(),
        stageK,
        batches * per,
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The release's nested sub-codebooks of the current codebook (same k-means as ReleaseTokenizer).
   */
  private void refreshSubBooks() {
    long t0 = System.nanoTime();
    int[] lv = ReleaseTokenizer.LEVELS;
    subBooks = new float[lv.length][];
    for (int l = 0; l < lv.length; l++)
      subBooks[l] = ReleaseTokenizer.kmeans(cb, emaCount, cfg.dim, lv[l], new Random(lv[l]), 50)[0];
    subBooksStep = step;
    System.out.printf(
        Locale.ROOT,
        "nested sub-codebooks at step %d in %.1f s%n",
        step,
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * With probability nestedP a sample's fine and coarse rows become their nearest centroid at a
   * random nested level.
   */
  private void applyNested(
      float[] zf, float[] zc, float[] fr, float[] cr, int n, boolean[] nested) {
    int d = cfg.dim, pf = zf.length / n, pc = zc.length / n;
    for (int b = 0; b < n; b++) {
      if (rnd.nextFloat() >= nestedP) continue;
      nested[b] = true;
      float[] t = subBooks[rnd.nextInt(subBooks.length)];
      Codebook lb = new Codebook(t, d);
      float[] sf = java.util.Arrays.copyOfRange(zf, b * pf, (b + 1) * pf);
      float[] sc = java.util.Arrays.copyOfRange(zc, b * pc, (b + 1) * pc);
      System.arraycopy(ResidualStages.gather(t, nearestRows(lb, sf), d), 0, fr, b * pf, pf);
      System.arraycopy(ResidualStages.gather(t, nearestRows(lb, sc), d), 0, cr, b * pc, pc);
    }
  }

  /**
   * Which fine positions keep each extra stage ({@code [s-2][position]}): per sample a keep ratio
   * per extra stage, and per 16x16 cell stage s+1 kept with that probability if stage s was (nested
   * samples: stage 1 only).
   */
  private boolean[][] keptStages(int n, int c16, boolean[] nested) {
    int f8 = 2 * c16, e = rs.extra();
    boolean[][] keep = new boolean[e][n * f8 * f8];
    double[] ratio = new double[e];
    for (int b = 0; b < n; b++) {
      if (nested[b]) continue;
      for (int s = 0; s < e; s++) ratio[s] = rnd.nextDouble();
      for (int cy = 0; cy < c16; cy++) {
        for (int cx = 0; cx < c16; cx++) {
          for (int s = 0; s < e && rnd.nextDouble() < ratio[s]; s++) {
            for (int k = 0; k < 4; k++) {
              keep[s][(b * f8 + 2 * cy + (k >> 1)) * f8 + 2 * cx + (k & 1)] = true;
            }
          }
        }
      }
    }
    return keep;
  }

  /** Residual stages: adds each kept stage's code to the fine rows. */
  private void addStages(float[] fr, float[][] codes, boolean[][] keep) {
    int d = cfg.dim;
    for (int s = 0; s < codes.length; s++) {
      for (int pos = 0; pos < keep[s].length; pos++) {
        if (!keep[s][pos]) continue;
        for (int j = 0; j < d; j++) fr[pos * d + j] += codes[s][pos * d + j];
      }
    }
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.length;
  }

  // ---- checkpoints ---------------------------------------------------------------------------

  private Path newestCheckpoint() throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(p -> p.getFileName().toString().matches("ckpt-\\d+\\.vqt"))
          .max(Comparator.comparingInt(TrainTokenizer::ckptStep))
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
    t.put("meta.vq_ready", new Tensor(new long[] {1}, new float[] {vqReady ? 1 : 0}));
    try (NDManager sub = base.newSubManager()) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        t.put(
            "net." + e.getKey(),
            new Tensor(e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
      }
      for (Map.Entry<String, NDArray> e : adamM.entrySet()) {
        t.put(
            "adam.m." + e.getKey(),
            new Tensor(e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
        t.put(
            "adam.v." + e.getKey(),
            new Tensor(e.getValue().getShape().getShape(), adamV.get(e.getKey()).toFloatArray()));
      }
    }
    t.put("vq.codebook", new Tensor(new long[] {K, cfg.dim}, cb.clone()));
    t.put("vq.ema_count", new Tensor(new long[] {K}, emaCount.clone()));
    t.put("vq.ema_sum", new Tensor(new long[] {K, cfg.dim}, emaSum.clone()));
    float[] lu = new float[K];
    for (int k = 0; k < K; k++) lu[k] = lastUsed[k];
    t.put("vq.last_used", new Tensor(new long[] {K}, lu));
    if (rs != null) {
      t.put("meta.stages", new Tensor(new long[] {1}, new float[] {stages}));
      rs.put(t);
    }
    if (nestedP > 0) t.put("meta.nested", new Tensor(new long[] {1}, new float[] {nestedP}));
    Path f = out.resolve("ckpt-" + step + ".vqt");
    TensorFile.write(f, t);
    Files.writeString(out.resolve("elapsed.txt"), String.format(Locale.ROOT, "%.1f", elapsed));
    Files.writeString(
        out.resolve("run.properties"),
        "arch="
            + cfg
            + "\ncodebook="
            + K
            + "\nstep="
            + step
            + "\n"
            + (rs == null ? "" : "stages=" + stages + "\nstage_codebook=" + stageK + "\n")
            + (nestedP > 0 ? "nested=" + nestedP + "\n" : ""));
    System.out.println("checkpoint " + f);
    try (Stream<Path> s = Files.list(out)) {
      List<Path> all =
          s.filter(p -> p.getFileName().toString().matches("ckpt-\\d+\\.vqt"))
              .sorted(Comparator.comparingInt(TrainTokenizer::ckptStep))
              .toList();
      for (int i = 0; i < all.size() - 4; i++) Files.deleteIfExists(all.get(i));
    }
  }

  private void loadCheckpoint(Path f) throws IOException {
    Map<String, Tensor> t = TensorFile.read(f);
    step = (int) t.get("meta.step").data()[0];
    vqReady = t.get("meta.vq_ready").data()[0] != 0;
    Map<String, float[]> vals = new LinkedHashMap<>();
    Map<String, float[]> fresh = null;
    boolean widened = false;
    for (Map.Entry<String, Shape> e : TokNet.shapes(cfg).entrySet()) {
      Tensor v = t.get("net." + e.getKey());
      if (v == null && e.getKey().matches("(enc|dec)\\.r\\d+\\.\\d+\\..*")) {
        // A residual block the checkpoint lacks (a deeper network): fresh weights, whose second
        // convolution starts small, so the block starts near the identity.
        if (fresh == null) fresh = TokNet.init(cfg, 1);
        vals.put(e.getKey(), fresh.get(e.getKey()));
        widened = true;
        continue;
      }
      if (v.data().length == e.getValue().size()) {
        vals.put(e.getKey(), v.data());
        continue;
      }
      if (fresh == null) fresh = TokNet.init(cfg, 1);
      vals.put(e.getKey(), widen(e.getKey(), v, e.getValue(), fresh.get(e.getKey())));
      widened = true;
    }
    Tensor fin = t.get("net.dec.fin.w");
    if (fin != null && fin.dims()[1] > TokNet.shapes(cfg).get("dec.fin.w").get(1)) {
      foldPresencePlanes(
          fin, vals.get("dec.fin.b"), (int) TokNet.shapes(cfg).get("dec.fin.w").get(1));
    }
    params = TokNet.toArrays(base, cfg, vals);
    for (Map.Entry<String, Shape> e : TokNet.shapes(cfg).entrySet()) {
      Tensor m = t.get("adam.m." + e.getKey()), v = t.get("adam.v." + e.getKey());
      boolean keep = m != null && v != null && m.data().length == e.getValue().size();
      adamM.put(e.getKey(), keep ? base.create(m.data(), e.getValue()) : base.zeros(e.getValue()));
      adamV.put(e.getKey(), keep ? base.create(v.data(), e.getValue()) : base.zeros(e.getValue()));
    }
    boolean newCodes = t.get("vq.codebook").data().length != K * cfg.dim;
    if (newCodes) {
      // A latent of another width (a one-group network grown from a product-stage one): the
      // codebooks start afresh, by k-means of the encoder's outputs at --vq-start, which must then
      // lie after this step.
      if (step >= vqStart)
        throw new IllegalArgumentException(
            "the checkpoint's codebook has another width: --vq-start must be after step " + step);
      System.out.println("codebook of another width: quantizer restarts at step " + vqStart);
      vqReady = false;
      cb = new float[K * cfg.dim];
      emaCount = new float[K];
      emaSum = new float[K * cfg.dim];
      lastUsed = new int[K];
    } else {
      cb = t.get("vq.codebook").data();
      emaCount = t.get("vq.ema_count").data();
      emaSum = t.get("vq.ema_sum").data();
      float[] lu = t.get("vq.last_used").data();
      lastUsed = new int[K];
      for (int k = 0; k < K; k++) lastUsed[k] = (int) lu[k];
    }
    Tensor st = t.get("meta.stages");
    if (st != null && (int) st.data()[0] != stages) {
      System.out.println(
          "note: checkpoint has " + (int) st.data()[0] + " fine stages, this run " + stages);
    }
    if (widened) {
      System.out.println("warm start into a larger network (" + cfg + ")");
    }
    if (widened && product) {
      System.out.println("product stages: the stage codebooks are initialised afresh");
    } else if (rs != null && !newCodes) {
      rs.load(t);
    }
  }

  /**
   * A product-stage checkpoint's decoder input in a one-group network as wide as its groups: the
   * presence planes (the last input channels, all ones when every group is present) are dropped and
   * their weights folded into the bias, which is what they added away from the picture's edges.
   */
  private static void foldPresencePlanes(Tensor fin, float[] bias, int keep) {
    long[] d = fin.dims();
    int outC = (int) d[0], in = (int) d[1], k = (int) (d[2] * d[3]);
    float[] w = fin.data();
    for (int oc = 0; oc < outC; oc++) {
      for (int ic = keep; ic < in; ic++) {
        for (int j = 0; j < k; j++) bias[oc] += w[(oc * in + ic) * k + j];
      }
    }
    System.out.println("decoder input: " + (in - keep) + " presence planes folded into the bias");
  }

  /**
   * A parameter of a one-group checkpoint (tok-v2) in a product-stage network: the fine head keeps
   * its group-1 outputs and the decoder's fine input its group-1 inputs; the new groups' weights on
   * both sides, and the presence planes', start fresh and scaled by 0.1, so the widened network
   * decodes stage-1 tokens almost as before while gradients reach the new groups from the first
   * step (with zero decoder weights the groups only felt the commitment and shrank onto their
   * codebooks: results/tok-v3-design).
   */
  private static float[] widen(String name, Tensor old, Shape shape, float[] fresh) {
    long[] od = old.dims();
    float[] o = old.data(), v = fresh.clone();
    if ((name.startsWith("enc.fine.") || name.startsWith("enc.coarse.")) && od[0] < shape.get(0)) {
      for (int i = o.length; i < v.length; i++) v[i] *= 0.1f;
      System.arraycopy(o, 0, v, 0, o.length);
      return v;
    }
    if ((name.equals("dec.fin.w") || name.equals("dec.cin.w")) && od[1] < shape.get(1)) {
      int outC = (int) shape.get(0), inOld = (int) od[1], inNew = (int) shape.get(1), k = 9;
      for (int i = 0; i < v.length; i++) v[i] *= 0.1f;
      for (int oc = 0; oc < outC; oc++)
        System.arraycopy(o, oc * inOld * k, v, oc * inNew * k, inOld * k);
      return v;
    }
    if (name.equals("dec.fin.w") && od[1] > shape.get(1)) {
      // fewer inputs: the first ones kept (the presence planes' weights go to the bias, see
      // foldPresencePlanes)
      int outC = (int) shape.get(0), inOld = (int) od[1], inNew = (int) shape.get(1), k = 9;
      for (int oc = 0; oc < outC; oc++)
        System.arraycopy(o, oc * inOld * k, v, oc * inNew * k, inNew * k);
      return v;
    }
    throw new IllegalArgumentException(
        "checkpoint parameter "
            + name
            + " has "
            + o.length
            + " values, the network "
            + shape.size()
            + ", and is not one a product-stage network widens");
  }
}
