package io.vqcodec.tools.prior;

import io.vqcodec.container.FrameType;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.VideoEncoder;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.TwoStagePrior;
import io.vqcodec.tokens.VideoTokenDecoder;
import io.vqcodec.tools.eval.VideoSkipTuning;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Design experiment (issue 16's 40%-of-intra target): how much would the reference token tell the
 * two-stage model (Spec §8.3.3) about a coded token of a predicted frame that is not a copy of it
 * (Spec §10.4 codes such a token with the key-frame model alone)? Synthetic clips (a pan, a zoom
 * and an object over a still scene, {@link VideoSkipTuning#clip}) from training photos fit the
 * tables; clips from the validation photos score them. For every coded token whose reference cell
 * has its granularity and whose token differs from the reference's, it reports cross-entropies
 * (bits per token) of its group: static, given its left neighbour's group, given the reference's
 * group, and the product of the two (normalised, divided by the static distribution); and of its
 * rank in its group when the group is the reference's: uniform against a kernel of codeword
 * distance to the reference. Also the predicted frames' slice bytes, to scale the savings.
 *
 * <pre>
 * tools/run.sh io.vqcodec.tools.prior.TemporalContextExperiment ../shared/data/train 40 ../shared/data/val
 * </pre>
 */
public final class TemporalContextExperiment {
  private TemporalContextExperiment() {}

  static final String[] MOTIONS = {"pan", "zoom", "object"};
  static final int FRAMES = 8, QUALITY = 7;

  /** One coded token that is not its reference's: groups (-1: no left neighbour), tokens. */
  record Sample(int k, int gNew, int gRef, int gLeft, int t, int ref) {}

  static final class Set {
    final List<Sample> samples = new ArrayList<>();
    long sameTokens, codedTokens, predictedBytes, keyBytes, predictedFrames;
  }

  public static void main(String[] args) throws Exception {
    Path trainDir = Path.of(args[0]);
    int trainCount = Integer.parseInt(args[1]);
    Path valDir = Path.of(args[2]);
    try (Tokenizer tok = Tokenizer.loadDefault()) {
      Set train = collect(tok, photos(trainDir, trainCount));
      Set val = collect(tok, photos(valDir, Integer.MAX_VALUE));
      int k = dominantK(val);
      TwoStagePrior.Level lv = ModelRegistry.builtIn().defaultTokenizer().twoStagePrior().level(k);
      float[] table = tok.codebookTable(k);
      report(train, val, lv, table, k);
    }
  }

  static List<Path> photos(Path dir, int max) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> all = s.filter(Files::isRegularFile).sorted().toList();
      if (all.size() <= max) return all;
      List<Path> out = new ArrayList<>();
      for (int i = 0; i < max; i++) out.add(all.get((int) ((long) i * all.size() / max)));
      return out;
    }
  }

  static Set collect(Tokenizer tok, List<Path> photos) throws IOException {
    Set set = new Set();
    int n = 0;
    for (Path p : photos) {
      BufferedImage photo = ImageIO.read(p.toFile());
      if (photo == null) continue;
      String motion = MOTIONS[n % MOTIONS.length];
      List<BufferedImage> clip = VideoSkipTuning.clip(photo, motion, FRAMES, n);
      n++;
      if (clip == null) continue;
      byte[] coded = code(tok, clip, QUALITY);
      VideoTokenDecoder d =
          VideoTokenDecoder.open(new ByteArrayInputStream(coded), ModelRegistry.builtIn(), 1 << 26);
      TokenGrid prev = null;
      for (VideoTokenDecoder.Frame f; (f = d.next()) != null; ) {
        if (f.type() == FrameType.KEY) {
          set.keyBytes += f.payloadBytes();
        } else {
          set.predictedBytes += f.payloadBytes();
          set.predictedFrames++;
          add(set, f, prev);
        }
        prev = f.grid();
      }
      System.err.printf(
          Locale.ROOT, "%s %s: %d samples so far%n", p.getFileName(), motion, set.samples.size());
    }
    return set;
  }

  /**
   * A synthetic clip ({@link VideoSkipTuning#clip}) coded by the reference video encoder of {@code
   * tok} at quality step {@code quality}: one key frame, then predicted frames.
   */
  static byte[] code(Tokenizer tok, List<BufferedImage> clip, int quality) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (VideoEncoder enc = VideoEncoder.using(tok);
        VideoEncoder.Session s =
            enc.start(
                bytes,
                VideoSkipTuning.WIDTH,
                VideoSkipTuning.HEIGHT,
                25,
                1,
                clip.size(),
                EncoderOptions.defaults().withQuality(quality),
                50,
                0)) {
      for (BufferedImage f : clip) s.add(f);
    }
    return bytes.toByteArray();
  }

  private static void add(Set set, VideoTokenDecoder.Frame f, TokenGrid ref) throws IOException {
    TokenGrid g = f.grid();
    TwoStagePrior.Level lv =
        ModelRegistry.builtIn().defaultTokenizer().twoStagePrior().level(g.codebookSize());
    int cw = g.cellsWide(), k = g.codebookSize();
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < cw; cx++) {
        int i = cy * cw + cx;
        if (f.skip()[i] || (f.motion() != null && f.motion().isMotion(cx, cy))) continue;
        boolean fine = g.isFine(cx, cy);
        if (ref.isFine(cx, cy) != fine) continue;
        if (fine) {
          for (int q = 0; q < 4; q++) {
            int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1);
            int t = g.fineToken(fx, fy), r = ref.fineToken(fx, fy);
            int left =
                fx > 0 && g.isFine((fx - 1) >> 1, cy) ? lv.group(g.fineToken(fx - 1, fy)) : -1;
            sample(set, lv, k, t, r, left);
          }
        } else {
          int t = g.coarseToken(cx, cy), r = ref.coarseToken(cx, cy);
          int left = cx > 0 && !g.isFine(cx - 1, cy) ? lv.group(g.coarseToken(cx - 1, cy)) : -1;
          sample(set, lv, k, t, r, left);
        }
      }
    }
  }

  private static void sample(Set set, TwoStagePrior.Level lv, int k, int t, int r, int left) {
    set.codedTokens++;
    if (t == r) {
      set.sameTokens++;
      return;
    }
    set.samples.add(new Sample(k, lv.group(t), lv.group(r), left, t, r));
  }

  static int dominantK(Set s) {
    java.util.Map<Integer, Integer> c = new java.util.HashMap<>();
    for (Sample x : s.samples) c.merge(x.k(), 1, Integer::sum);
    return c.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  static void report(Set train, Set val, TwoStagePrior.Level lv, float[] table, int k) {
    int g = lv.groupCount();
    double[] p0 = new double[g];
    double[][] cRef = new double[g][g], cLeft = new double[g][g];
    for (int s = 0; s < g; s++) p0[s] = 1;
    for (Sample x : train.samples) {
      if (x.k() != k) continue;
      p0[x.gNew()]++;
      cRef[x.gRef()][x.gNew()]++;
      if (x.gLeft() >= 0) cLeft[x.gLeft()][x.gNew()]++;
    }
    normalise(p0);
    double[][] pRef = conditional(cRef, p0), pLeft = conditional(cLeft, p0);
    // stage 2 kernel: p(u) ~ exp(-beta d2(ref, u)) over the group's members, beta from train
    double[] betas = {0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3};
    double bestBeta = 0, bestCe = Double.MAX_VALUE;
    int d = table.length / k;
    double scale = NeighbourMergeExperiment.medianNearest(table, d, k);
    for (double b : betas) {
      double ce = rankCe(train.samples, lv, table, d, k, b / scale);
      if (ce < bestCe) {
        bestCe = ce;
        bestBeta = b;
      }
    }
    double h0 = 0, hLeft = 0, hRef = 0, hBoth = 0, r0 = 0, rK = 0;
    int n = 0, nSame = 0, nLeft = 0;
    for (Sample x : val.samples) {
      if (x.k() != k) continue;
      n++;
      h0 -= log2(p0[x.gNew()]);
      hRef -= log2(pRef[x.gRef()][x.gNew()]);
      double[] l = x.gLeft() >= 0 ? pLeft[x.gLeft()] : p0;
      if (x.gLeft() >= 0) nLeft++;
      hLeft -= log2(l[x.gNew()]);
      double z = 0;
      for (int s = 0; s < g; s++) z += l[s] * pRef[x.gRef()][s] / p0[s];
      hBoth -= log2(l[x.gNew()] * pRef[x.gRef()][x.gNew()] / p0[x.gNew()] / z);
      if (x.gNew() == x.gRef()) nSame++;
    }
    List<Sample> inGroup = new ArrayList<>();
    for (Sample x : val.samples) if (x.k() == k && x.gNew() == x.gRef()) inGroup.add(x);
    int[] groupSize = new int[g];
    for (int t = 0; t < k; t++) groupSize[lv.group(t)]++;
    for (Sample x : inGroup) r0 += log2(groupSize[x.gNew()]);
    rK = rankCe(inGroup, lv, table, d, k, bestBeta / scale) * inGroup.size();
    System.out.printf(
        Locale.ROOT,
        "K=%d, G=%d. validation clips: %d predicted frames, %d B predicted, %d B key;"
            + " coded tokens %d, same as reference %d (%.1f%%), others %d (at K: %d)%n",
        k,
        g,
        val.predictedFrames,
        val.predictedBytes,
        val.keyBytes,
        val.codedTokens,
        val.sameTokens,
        100.0 * val.sameTokens / Math.max(1, val.codedTokens),
        val.samples.size(),
        n);
    System.out.printf(
        Locale.ROOT,
        "group, bits per token: static %.3f, given left %.3f (%d of %d have one), given reference"
            + " %.3f, both %.3f; same group as reference %.1f%%%n",
        h0 / n,
        hLeft / n,
        nLeft,
        n,
        hRef / n,
        hBoth / n,
        100.0 * nSame / n);
    System.out.printf(
        Locale.ROOT,
        "rank within the reference's group (%d tokens): uniform %.3f bits, distance kernel %.3f"
            + " (beta %.3g of the median nearest squared distance, fitted on training clips)%n",
        inGroup.size(),
        r0 / Math.max(1, inGroup.size()),
        rK / Math.max(1, inGroup.size()),
        bestBeta);
    double saved = (hLeft - hBoth) + (r0 - rK);
    System.out.printf(
        Locale.ROOT,
        "saving over left-only: %.0f bits = %.0f B, %.1f%% of the predicted frames' bytes%n",
        saved,
        saved / 8,
        100 * saved / 8 / val.predictedBytes);
  }

  static List<Integer> members(TwoStagePrior.Level lv, int s, int k) {
    List<Integer> m = new ArrayList<>();
    for (int t = 0; t < k; t++) if (lv.group(t) == s) m.add(t);
    return m;
  }

  static double rankCe(
      List<Sample> xs, TwoStagePrior.Level lv, float[] table, int d, int k, double beta) {
    double ce = 0;
    int n = 0;
    java.util.Map<Integer, List<Integer>> cache = new java.util.HashMap<>();
    for (Sample x : xs) {
      if (x.k() != k || x.gNew() != x.gRef()) continue;
      List<Integer> m = cache.computeIfAbsent(x.gNew(), s -> members(lv, s, k));
      double z = 0, pt = 0;
      for (int u : m) {
        if (u == x.ref()) continue; // not a copy: the same flag said so
        double w = Math.exp(-beta * NeighbourMergeExperiment.d2(table, d, x.ref(), u));
        z += w;
        if (u == x.t()) pt = w;
      }
      ce -= log2(pt / z);
      n++;
    }
    return ce / Math.max(1, n);
  }

  static double[][] conditional(double[][] c, double[] p0) {
    int g = p0.length;
    double[][] p = new double[g][g];
    for (int a = 0; a < g; a++) {
      double tot = 0;
      for (int s = 0; s < g; s++) tot += c[a][s];
      for (int s = 0; s < g; s++) p[a][s] = (c[a][s] + 4 * p0[s]) / (tot + 4);
    }
    return p;
  }

  static void normalise(double[] p) {
    double t = 0;
    for (double v : p) t += v;
    for (int i = 0; i < p.length; i++) p[i] /= t;
  }

  static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
