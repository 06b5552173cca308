package io.vqcodec.tools.prior;

import io.vqcodec.container.FrameType;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.Cdf;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ContextPrior;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.MotionField;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.SliceReport;
import io.vqcodec.tokens.SliceWalk;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.TwoStagePrior;
import io.vqcodec.tokens.VideoTokenDecoder;
import io.vqcodec.tools.eval.VideoSkipTuning;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Fits the temporal expert of the two-stage model (Spec §8.3.3.2 version 2, §8.3.3.4): for a token
 * of a predicted or motion frame whose same flag is 0, the reference token's group scores the
 * token's group through {@code ttrans}, and within the reference's group the distance to it scores
 * the rank (the reference itself excluded). The key-frame parameters are the package's own, copied
 * unchanged, so key frames and pictures code exactly as before.
 *
 * <p>Data: synthetic clips (a pan, a zoom and an object over a still scene, {@link
 * VideoSkipTuning#clip}) from the training photos, coded by the reference encoder without the
 * expert ({@link ModelPackage#withoutTemporalExpert}) at the given quality steps and decoded; every
 * coded token of a predicted frame is walked in its slice (so the slice counts are the coder's) and
 * every one with a reference token is a sample. {@code ttrans} rows come from counts with {@link
 * TwoStageFit#ALPHA} pseudo-counts of the static group distribution; the weights by maximum
 * likelihood of the exact integer features, as {@link TwoStageFit} fits the key-frame weights. A
 * level gets a temporal expert only with at least {@value #MIN_SAMPLES} samples.
 *
 * <p>Validation: the same clips from the validation photos, every predicted slice coded with the
 * package's parameters and with the fitted ones (and decoded back); prints both byte counts.
 *
 * <pre>
 * tools/run.sh io.vqcodec.tools.prior.TemporalFit --train ../shared/data/train --count 240 \
 *     --val ../shared/data/val --out twostage-temporal.bin [--qualities 6,7,8]
 * </pre>
 *
 * Uses the default tokenizer and its two-stage parameters (the encoder's).
 */
public final class TemporalFit {
  private TemporalFit() {}

  static final int MIN_SAMPLES = 5000;
  static final int FRAMES = 8;

  /** The coded tokens of predicted frames, per codebook level. */
  static final class Samples {
    final int k;
    final List<short[]> stage1 = new ArrayList<>(), stage2 = new ArrayList<>();
    final double[][][] transitions; // [g][group of ref][group]

    Samples(int k, int groups) {
      this.k = k;
      this.transitions = new double[2][groups][groups];
    }
  }

  public static void main(String[] args) throws Exception {
    Path train = null, val = null, out = null;
    int count = 240;
    int[] qualities = {6, 7, 8};
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--train" -> train = Path.of(args[i + 1]);
        case "--val" -> val = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--count" -> count = Integer.parseInt(args[i + 1]);
        case "--qualities" ->
            qualities = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (train == null || out == null) throw new IllegalArgumentException("--train and --out");
    ModelPackage pkg = ModelRegistry.builtIn().defaultTokenizer();
    TwoStagePrior base = pkg.twoStagePrior();
    // The clips are coded without the expert (the package's model-6 streams), whatever the
    // encoder's default, so that a refit reproduces the released file.
    try (Tokenizer tok = Tokenizer.open(pkg.withoutTemporalExpert())) {
      List<byte[]> trainClips =
          clips(tok, TemporalContextExperiment.photos(train, count), qualities);
      int[] ks = base.codebookSizes();
      TwoStagePrior.Level[] levels = new TwoStagePrior.Level[ks.length];
      ContextPrior cp = pkg.prior();
      for (int l = 0; l < ks.length; l++) {
        TwoStagePrior.Level lv = base.level(ks[l]);
        Samples s = collect(trainClips, lv);
        System.out.printf(
            Locale.ROOT,
            "K=%d: %d stage-1 and %d stage-2 samples%n",
            ks[l],
            s.stage1.size(),
            s.stage2.size());
        levels[l] = s.stage1.size() < MIN_SAMPLES ? lv : fit(lv, cp.level(ks[l]), s);
      }
      byte[] file = TwoStagePrior.serialize(levels);
      TwoStagePrior fitted = TwoStagePrior.load(new ByteArrayInputStream(file));
      Files.write(out, file);
      System.out.printf(
          Locale.ROOT,
          "%s: %d bytes, sha256 %s%n",
          out,
          file.length,
          java.util.HexFormat.of().formatHex(ModelPackage.sha256(file)));
      if (val != null) {
        List<byte[]> valClips =
            clips(tok, TemporalContextExperiment.photos(val, Integer.MAX_VALUE), qualities);
        long[] bytes = recode(valClips, base, fitted);
        System.out.printf(
            Locale.ROOT,
            "validation: predicted slices %d bytes with the package's parameters, %d with the"
                + " temporal expert (%.2f%%)%n",
            bytes[0],
            bytes[1],
            100.0 * (bytes[1] - bytes[0]) / bytes[0]);
      }
    }
  }

  /** One coded clip per photo: motions in turn, quality steps in turn. */
  static List<byte[]> clips(Tokenizer tok, List<Path> photos, int[] qualities) throws IOException {
    List<byte[]> clips = new ArrayList<>();
    int n = 0;
    for (Path p : photos) {
      BufferedImage photo = ImageIO.read(p.toFile());
      if (photo == null) continue;
      String motion = TemporalContextExperiment.MOTIONS[n % 3];
      int q = qualities[(n / 3) % qualities.length];
      List<BufferedImage> clip = VideoSkipTuning.clip(photo, motion, FRAMES, n);
      n++;
      if (clip == null) continue;
      byte[] coded = TemporalContextExperiment.code(tok, clip, q);
      clips.add(coded);
      System.err.printf(
          Locale.ROOT, "%s %s q%d: %d bytes%n", p.getFileName(), motion, q, coded.length);
    }
    return clips;
  }

  /** Calls {@code visit} per decoded predicted or motion frame with its reference. */
  interface FrameVisitor {
    void frame(VideoTokenDecoder.Frame f, TokenGrid reference, GranularityMode mode)
        throws Exception;
  }

  static void predictedFrames(List<byte[]> clips, FrameVisitor visit) throws Exception {
    for (byte[] clip : clips) {
      VideoTokenDecoder d =
          VideoTokenDecoder.open(new ByteArrayInputStream(clip), ModelRegistry.builtIn(), 1 << 26);
      GranularityMode mode = d.header().grid().granularityMode();
      TokenGrid prev = null;
      for (VideoTokenDecoder.Frame f; (f = d.next()) != null; ) {
        if (f.type() != FrameType.KEY) visit.frame(f, prev, mode);
        prev = f.grid();
      }
    }
  }

  /** The samples of level {@code lv} in the clips' predicted frames (Spec §10.4, §8.3.3.5). */
  static Samples collect(List<byte[]> clips, TwoStagePrior.Level lv) throws Exception {
    int groups = lv.groupCount();
    Samples out = new Samples(lv.codebookSize(), groups);
    predictedFrames(
        clips,
        (f, ref, mode) -> {
          TokenGrid g = f.grid();
          if (g.codebookSize() != lv.codebookSize()) return;
          for (SliceReport sr : f.slices()) {
            int[][] cntG = new int[2][groups];
            int[][] cnt = new int[2][lv.codebookSize()];
            new SliceWalk() {
              @Override
              protected boolean flag(AdaptiveBinaryModel m, boolean value) {
                return value;
              }

              @Override
              protected int token(Cdf cdf, int value) {
                return value;
              }

              @Override
              protected int bits(int n, int value) {
                return value;
              }

              @Override
              protected int token(int pass, int mask, int[] nb, int r, int t) {
                int gi = pass == 0 ? 0 : 1;
                if (r >= 0) sample(out, lv, pass, mask, nb, r, t, cntG[gi], cnt[gi]);
                cntG[gi][lv.group(t)]++;
                cnt[gi][t]++;
                return t;
              }
            }.runPredicted(g.copy(), ref, f.skip(), f.motion(), sr.firstRow(), sr.rowCount(), mode);
          }
        });
    return out;
  }

  /**
   * One token with reference {@code r}: a stage-1 sample in {@link TwoStageFit.LevelFit}'s layout
   * with the reference's group in {@code a[3]}, and where the reference is in the token's group a
   * stage-2 sample with the reference's rank last.
   */
  static void sample(
      Samples out,
      TwoStagePrior.Level lv,
      int pass,
      int mask,
      int[] nb,
      int r,
      int t,
      int[] cntG,
      int[] cnt) {
    int groups = lv.groupCount(), s = lv.group(t);
    out.transitions[pass == 0 ? 0 : 1][lv.group(r)][s]++;
    short[] a = new short[10 + groups];
    a[0] = (short) pass;
    a[1] = (short) mask;
    a[2] = (short) s;
    a[3] = (short) lv.group(r);
    for (int i = 0; i < 6; i++) a[4 + i] = (short) ((mask >> i & 1) != 0 ? lv.group(nb[i]) : 0);
    for (int q = 0; q < groups; q++) a[10 + q] = (short) Math.min(255, cntG[q]);
    out.stage1.add(a);
    int[] m = lv.members(s);
    if (m.length < 2 || lv.group(r) != s) return;
    short[] b = new short[10 + m.length + 1];
    int in = 0;
    for (int i = 0; i < 6; i++) {
      if ((mask >> i & 1) != 0 && lv.group(nb[i]) == s) {
        in |= 1 << i;
        b[4 + i] = (short) lv.rank(nb[i]);
      }
    }
    b[0] = (short) pass;
    b[1] = (short) in;
    b[2] = (short) s;
    b[3] = (short) lv.rank(t);
    for (int q = 0; q < m.length; q++) b[10 + q] = (short) Math.min(255, cnt[m[q]]);
    b[10 + m.length] = (short) lv.rank(r);
    out.stage2.add(b);
  }

  /** The level {@code lv} with a temporal expert fitted on {@code s}. */
  static TwoStagePrior.Level fit(TwoStagePrior.Level lv, ContextPrior.Level cl, Samples s) {
    int groups = lv.groupCount();
    TwoStageFit.LevelFit lf = TwoStageFit.LevelFit.of(lv, cl);
    int[][] ttrans = new int[2][groups * groups];
    for (int g = 0; g < 2; g++) {
      double[] static1 = new double[groups];
      double tot = 0;
      for (int q = 0; q < groups; q++) tot += static1[q] = Math.pow(2, -lv.cost1(g, q) / 256.0);
      for (int a = 0; a < groups; a++) {
        double row = Arrays.stream(s.transitions[g][a]).sum();
        for (int q = 0; q < groups; q++) {
          double p = (s.transitions[g][a][q] + TwoStageFit.ALPHA * static1[q] / tot);
          ttrans[g][a * groups + q] = TwoStageFit.LevelFit.cost(p / (row + TwoStageFit.ALPHA));
        }
      }
    }
    TwoStageFit.LevelFit.Stage1 st1 = lf.new Stage1();
    TwoStageFit.LevelFit.Stage2 st2 = lf.new Stage2();
    TwoStageFit.LogLinear.Features t1 =
        new TwoStageFit.LogLinear.Features() {
          @Override
          public int fill(short[] a, double[][] f) {
            int n = st1.fill(a, f), pass = a[0];
            int g = pass == 0 ? 0 : 1, j = TwoStagePrior.stage1Features(pass);
            if (f[j] == null) f[j] = new double[f[0].length];
            for (int q = 0; q < n; q++) f[j][q] = -ttrans[g][a[3] * groups + q] / 256.0;
            return n;
          }

          @Override
          public int target(short[] a) {
            return a[2];
          }

          @Override
          public void bits(double b) {
            System.out.printf(Locale.ROOT, "  stage 1 with reference: %.0f bits%n", b);
          }
        };
    TwoStageFit.LogLinear.Features t2 =
        new TwoStageFit.LogLinear.Features() {
          @Override
          public int fill(short[] a, double[][] f) {
            int n = st2.fill(a, f), pass = a[0], j = TwoStagePrior.stage2Features(pass);
            int r = a[10 + n];
            if (f[j] == null) f[j] = new double[f[0].length];
            for (int q = 0; q < n; q++) f[j][q] = -lf.dist[a[2]][r * n + q] / 256.0;
            return n;
          }

          @Override
          public int excluded(short[] a) {
            return a[a.length - 1];
          }

          @Override
          public int target(short[] a) {
            return a[3];
          }

          @Override
          public void bits(double b) {
            System.out.printf(Locale.ROOT, "  stage 2 with reference in the group: %.0f bits%n", b);
          }
        };
    short[][] lambdaT1 = new short[3][], lambdaT2 = new short[3][];
    int largest = 0;
    for (int q = 0; q < groups; q++) largest = Math.max(largest, lv.members(q).length);
    for (int p = 0; p < 3; p++) {
      lambdaT1[p] =
          TwoStageFit.LogLinear.fit(
              t1, s.stage1, p, TwoStagePrior.stage1TemporalFeatures(p), groups);
      lambdaT2[p] =
          TwoStageFit.LogLinear.fit(
              t2, s.stage2, p, TwoStagePrior.stage2TemporalFeatures(p), largest);
    }
    return lv.withTemporal(ttrans, lambdaT1, lambdaT2);
  }

  /**
   * Bytes of every predicted slice of the clips coded with {@code base} and with {@code fitted};
   * each of the latter is decoded back and checked.
   */
  static long[] recode(List<byte[]> clips, TwoStagePrior base, TwoStagePrior fitted)
      throws Exception {
    long[] bytes = new long[2];
    predictedFrames(
        clips,
        (f, ref, mode) -> {
          TokenGrid g = f.grid();
          for (SliceReport sr : f.slices()) {
            int first = sr.firstRow(), rows = sr.rowCount();
            byte[] a, b;
            if (f.motion() == null) {
              a = SliceCoder.encodePredicted(base, g, ref, f.skip(), first, rows, mode);
              b = SliceCoder.encodePredicted(fitted, g, ref, f.skip(), first, rows, mode);
            } else {
              a = SliceCoder.encodeMotion(base, g, ref, f.motion(), first, rows, mode);
              b = SliceCoder.encodeMotion(fitted, g, ref, f.motion(), first, rows, mode);
            }
            bytes[0] += a.length;
            bytes[1] += b.length;
            TokenGrid back = new TokenGrid(g.width(), g.height(), g.codebookSize());
            if (f.motion() == null) {
              SliceCoder.decodePredicted(fitted, b, back, ref, f.skip().clone(), first, rows, mode);
            } else {
              SliceCoder.decodeMotion(
                  fitted,
                  b,
                  back,
                  ref,
                  new MotionField(g.cellsWide(), g.cellsHigh()),
                  first,
                  rows,
                  mode);
            }
            for (int cy = first; cy < first + rows; cy++) {
              for (int cx = 0; cx < g.cellsWide(); cx++) {
                if (!g.sameCell(back, cx, cy))
                  throw new IllegalStateException("temporal expert round trip differs");
              }
            }
          }
        });
    return bytes;
  }
}
