package io.vqcodec.tools.prior;

import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.neural.ImageScaling;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.TokenModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Design experiment (issue 15's bits target): would an encoder that picks cheaper tokens, not only
 * the nearest, pay? A proxy without a new encoder: at a quality step, each token whose codeword
 * lies within tau (times the median squared distance between nearest codewords) of its left or
 * above neighbour's takes that neighbour's token, which the two-stage model (Spec §8.3.3) codes
 * more cheaply; cells with residual stages are left alone. Reports the slices' bytes under the
 * two-stage model and the decoded RGB PSNR per tau, beside the next quality step down (the ladder's
 * own exchange rate of bytes for dB). Pictures are every file under the folder (validation, never
 * Kodak).
 *
 * <pre>
 * tools/run.sh io.vqcodec.tools.prior.NeighbourMergeExperiment ../shared/data/val 7
 * </pre>
 */
public final class NeighbourMergeExperiment {
  private NeighbourMergeExperiment() {}

  static double psnr(BufferedImage a, BufferedImage b) {
    double se = 0;
    long n = 0;
    for (int y = 0; y < a.getHeight(); y++)
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y), q = b.getRGB(x, y);
        for (int s = 0; s < 24; s += 8) {
          int d = ((p >> s) & 255) - ((q >> s) & 255);
          se += d * d;
          n++;
        }
      }
    return 10 * Math.log10(255.0 * 255 * n / se);
  }

  /**
   * The token {@code t} becomes: the nearer of its left and above neighbours' tokens (-1: none)
   * whose codeword lies within {@code tau} of its own (the above one on a tie), else itself.
   */
  static int merged(float[] table, int d, int t, int left, int above, double tau) {
    int best = t;
    double bd = tau;
    for (int u : new int[] {left, above}) {
      if (u < 0 || u == t) continue;
      double dd = d2(table, d, t, u);
      if (dd <= bd) {
        bd = dd;
        best = u;
      }
    }
    return best;
  }

  /**
   * The median, over the first 512 codewords (or all, if fewer), of the squared distance to the
   * nearest other codeword: a codebook's own distance scale.
   */
  static double medianNearest(float[] table, int d, int k) {
    double[] nn = new double[Math.min(k, 512)];
    for (int a = 0; a < nn.length; a++) {
      double best = Double.MAX_VALUE;
      for (int b = 0; b < k; b++) if (b != a) best = Math.min(best, d2(table, d, a, b));
      nn[a] = best;
    }
    Arrays.sort(nn);
    return nn[nn.length / 2];
  }

  static double d2(float[] t, int d, int a, int b) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      double x = t[a * d + j] - t[b * d + j];
      s += x * x;
    }
    return s;
  }

  public static void main(String[] args) throws Exception {
    double[] taus = {0, 0.25, 0.5, 1.0, 2.0};
    int q0 = Integer.parseInt(args[1]);
    List<Path> files = new ArrayList<>();
    try (var s = Files.walk(Path.of(args[0]))) {
      s.filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    long[] bytes = new long[taus.length + 1];
    double[] ps = new double[taus.length + 1];
    int nimg = 0;
    long changed[] = new long[taus.length];
    try (Tokenizer tok = Tokenizer.loadDefault();
        ImageEncoder enc = ImageEncoder.using(tok)) {
      for (Path f : files) {
        BufferedImage img = ImageIO.read(f.toFile());
        if (img == null) continue;
        // the next quality step down: the ladder's own exchange rate
        EncodedPicture low = enc.encode(img, EncoderOptions.defaults().withQuality(q0 - 1));
        DecodedTokens lt =
            TokenDecoder.decode(new ByteArrayInputStream(low.bytes()), LossSimulation.NONE, null);
        EncodedPicture pic = enc.encode(img, EncoderOptions.defaults().withQuality(q0));
        DecodedTokens dt =
            TokenDecoder.decode(new ByteArrayInputStream(pic.bytes()), LossSimulation.NONE, null);
        ContainerHeader h = dt.header();
        TokenGrid g0 = dt.grid();
        int k = g0.codebookSize();
        ModelPackage pkg = dt.model();
        TokenModel tm = pkg.tokenModel(ProbabilityModel.TWO_STAGE, pkg.twoStageId(), k);
        float[] table = tok.codebookTable(k);
        int d = table.length / k;
        double scale = medianNearest(table, d, k); // the scale of tau
        int shift = h.resolutionShift();
        for (int ti = 0; ti < taus.length; ti++) {
          TokenGrid g = g0.copy();
          double tau = taus[ti] * scale;
          for (int cy = 0; cy < g.cellsHigh(); cy++)
            for (int cx = 0; cx < g.cellsWide(); cx++) {
              if (g.isFine(cx, cy)) {
                if (g.cellStages(cx, cy) > 1) continue;
                for (int kk = 0; kk < 4; kk++) {
                  int fx = 2 * cx + (kk & 1), fy = 2 * cy + (kk >> 1);
                  int t = g.fineToken(fx, fy);
                  int left =
                      fx > 0 && g.isFine((fx - 1) >> 1, fy >> 1) ? g.fineToken(fx - 1, fy) : -1;
                  int above =
                      fy > 0 && g.isFine(fx >> 1, (fy - 1) >> 1) ? g.fineToken(fx, fy - 1) : -1;
                  int best = merged(table, d, t, left, above, tau);
                  if (best != t) {
                    g.setFineToken(fx, fy, best);
                    changed[ti]++;
                  }
                }
              } else {
                int t = g.coarseToken(cx, cy);
                int left = cx > 0 && !g.isFine(cx - 1, cy) ? g.coarseToken(cx - 1, cy) : -1;
                int above = cy > 0 && !g.isFine(cx, cy - 1) ? g.coarseToken(cx, cy - 1) : -1;
                int best = merged(table, d, t, left, above, tau);
                if (best != t) {
                  g.setCoarseToken(cx, cy, best);
                  changed[ti]++;
                }
              }
            }
          List<byte[]> pl =
              SliceCoder.encodeSlices(
                  tm, g, EncoderOptions.DEFAULT_SLICE_ROWS, h.grid().granularityMode());
          long b = 0;
          for (byte[] p : pl) b += p.length;
          BufferedImage out = tok.decode(g);
          if (shift > 0) out = ImageScaling.upscale(out, shift, img.getWidth(), img.getHeight());
          bytes[ti] += b;
          ps[ti] += psnr(img, out);
        }
        // the lower step's slices and PSNR
        TokenGrid gl = lt.grid();
        ModelPackage pl2 = lt.model();
        List<byte[]> pll =
            SliceCoder.encodeSlices(
                pl2.tokenModel(ProbabilityModel.TWO_STAGE, pl2.twoStageId(), gl.codebookSize()),
                gl,
                EncoderOptions.DEFAULT_SLICE_ROWS,
                lt.header().grid().granularityMode());
        long bl = 0;
        for (byte[] p : pll) bl += p.length;
        BufferedImage lo = tok.decode(gl);
        if (lt.header().resolutionShift() > 0)
          lo =
              ImageScaling.upscale(
                  lo, lt.header().resolutionShift(), img.getWidth(), img.getHeight());
        bytes[taus.length] += bl;
        ps[taus.length] += psnr(img, lo);
        nimg++;
        System.err.println(f.getFileName() + " done");
      }
    }
    for (int ti = 0; ti < taus.length; ti++)
      System.out.printf(
          "tau %.2f: slice bytes %d (%.3f), mean PSNR %.3f dB, tokens changed %d%n",
          taus[ti], bytes[ti], bytes[ti] / (double) bytes[0], ps[ti] / nimg, changed[ti]);
    System.out.printf(
        "quality %d (ladder step down): slice bytes %d (%.3f), mean PSNR %.3f dB%n",
        q0 - 1, bytes[taus.length], bytes[taus.length] / (double) bytes[0], ps[taus.length] / nimg);
  }
}
