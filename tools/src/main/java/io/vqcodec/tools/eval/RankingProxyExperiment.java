package io.vqcodec.tools.eval;

import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Experiment (issue 15, encode speed): how well cheaper estimates of a cell's refinement gain rank
 * the cells, against the encoder's rate-distortion ranking, which decodes the picture twice (every
 * cell fine, every cell coarse). On the validation images at K = 4096, stage 1: per cell the true
 * squared errors fine and coarse, and per ranking the estimated PSNR (cells decoded in isolation,
 * as the encoder estimates) when its top share of cells is fine. Usage: {@code
 * RankingProxyExperiment VAL_DIR}.
 */
public final class RankingProxyExperiment {
  private RankingProxyExperiment() {}

  public static void main(String[] args) throws IOException {
    Path dir = Paths.get(args.length > 0 ? args[0] : "../shared/data/val");
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    double[] shares = {0.05, 0.1, 0.2, 0.3, 0.5, 0.7};
    String[] names = {
      "gain (2 decodes)",
      "coarse SSE (1 decode)",
      "coarse SSE - a*E8 (1 decode)",
      "b * (E16 - E8), the coarse error estimated from the fine one (1 decode)",
      "E16 (no decode)",
      "E16 - c*E8 (no decode)"
    };
    List<double[][]> cellsPerImage = new ArrayList<>();
    try (Tokenizer tok = Tokenizer.loadDefault()) {
      for (Path f : files) {
        BufferedImage img = ImageIO.read(f.toFile());
        if (img == null) continue;
        TokenGrid[] both = tok.encodeBoth(img, 4096);
        BufferedImage fine = tok.decode(both[0].withStageCount(1));
        BufferedImage coarse = tok.decode(both[1]);
        cellsPerImage.add(cells(img, fine, coarse));
        System.err.println(f.getFileName() + " " + img.getWidth() + "x" + img.getHeight());
      }
    }
    // Least-squares fits over all cells: sF ~ a * E8; (sC - sF) ~ b * (E16 - E8) + ...
    double sxy = 0, sxx = 0, txy = 0, txx = 0, uxy = 0, uxx = 0;
    for (double[][] img : cellsPerImage) {
      for (double[] c : img) {
        double sF = c[0], sC = c[1], e16 = c[2], e8 = c[3];
        sxy += sF * e8;
        sxx += e8 * e8;
        txy += (sC - sF) * (e16 - e8);
        txx += (e16 - e8) * (e16 - e8);
        uxy += sF * e8;
        uxx += e8 * e8;
      }
    }
    double a = sxy / sxx, b = txy / txx;
    // c: best no-decode combination E16 - c*E8 by grid search on the mean PSNR at the shares
    System.out.printf(Locale.ROOT, "fits: sF ~ %.4f * E8; sC - sF ~ %.4f * (E16 - E8)%n", a, b);
    double bestC = 0, bestScore = -1e9;
    for (double c = 0; c <= 2.0001; c += 0.1) {
      double score = 0;
      for (double[][] img : cellsPerImage) {
        for (double sh : shares) score += psnrAt(img, rank(img, 5, a, b, c), sh);
      }
      if (score > bestScore) {
        bestScore = score;
        bestC = c;
      }
    }
    System.out.printf(Locale.ROOT, "no-decode c = %.1f%n", bestC);
    System.out.print("| ranking |");
    for (double sh : shares) System.out.printf(Locale.ROOT, " %.0f%% fine |", 100 * sh);
    System.out.println();
    for (int r = 0; r < names.length; r++) {
      System.out.print("| " + names[r] + " |");
      for (double sh : shares) {
        double sum = 0;
        for (double[][] img : cellsPerImage) sum += psnrAt(img, rank(img, r, a, b, bestC), sh);
        System.out.printf(Locale.ROOT, " %.3f |", sum / cellsPerImage.size());
      }
      System.out.println();
    }
    for (int v = 0; v < 2; v++) {
      for (double g = 0; g <= 0.30001; g += 0.03) {
        System.out.printf(Locale.ROOT, "| sC - %.2f * %s |", g, v == 0 ? "E16" : "E8");
        for (double sh : shares) {
          double sum = 0;
          for (double[][] img : cellsPerImage) {
            double[][] mod = new double[img.length][];
            for (int i = 0; i < img.length; i++) {
              mod[i] = img[i].clone();
              mod[i][2] = img[i][1] - g * (v == 0 ? img[i][2] : img[i][3]); // score in slot 2
            }
            int[] order = rank(mod, 4, a, b, 0); // ranks by slot 2
            sum += psnrAt(img, order, sh);
          }
          System.out.printf(Locale.ROOT, " %.3f |", sum / cellsPerImage.size());
        }
        System.out.println();
      }
    }
  }

  /** Per cell: sF, sC, E16, E8 (source's SSE against its cell mean and 8x8 block means), pixels. */
  static double[][] cells(BufferedImage src, BufferedImage fine, BufferedImage coarse) {
    int w = src.getWidth(), h = src.getHeight();
    int cw = (w + 15) / 16, ch = (h + 15) / 16;
    double[][] out = new double[cw * ch][5];
    for (int cy = 0; cy < ch; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        double[] c = out[cy * cw + cx];
        int x0 = cx * 16, y0 = cy * 16, x1 = Math.min(w, x0 + 16), y1 = Math.min(h, y0 + 16);
        c[4] = (x1 - x0) * (y1 - y0);
        for (int ch3 = 0; ch3 < 3; ch3++) {
          int shift = 16 - 8 * ch3;
          double sum = 0;
          int n = 0;
          for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++) {
              int p = (src.getRGB(x, y) >> shift) & 255;
              int q = (fine.getRGB(x, y) >> shift) & 255;
              int r = (coarse.getRGB(x, y) >> shift) & 255;
              c[0] += (p - q) * (p - q);
              c[1] += (p - r) * (p - r);
              sum += p;
              n++;
            }
          double mean = sum / n;
          for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++) {
              double d = ((src.getRGB(x, y) >> shift) & 255) - mean;
              c[2] += d * d;
            }
          for (int by = y0; by < y1; by += 8)
            for (int bx = x0; bx < x1; bx += 8) {
              int ex = Math.min(x1, bx + 8), ey = Math.min(y1, by + 8);
              double s8 = 0;
              int n8 = 0;
              for (int y = by; y < ey; y++)
                for (int x = bx; x < ex; x++) {
                  s8 += (src.getRGB(x, y) >> shift) & 255;
                  n8++;
                }
              double m8 = s8 / n8;
              for (int y = by; y < ey; y++)
                for (int x = bx; x < ex; x++) {
                  double d = ((src.getRGB(x, y) >> shift) & 255) - m8;
                  c[3] += d * d;
                }
            }
        }
      }
    }
    return out;
  }

  static int[] rank(double[][] cells, int r, double a, double b, double c) {
    int n = cells.length;
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      double sF = cells[i][0], sC = cells[i][1], e16 = cells[i][2], e8 = cells[i][3];
      score[i] =
          switch (r) {
            case 0 -> sC - sF;
            case 1 -> sC;
            case 2 -> sC - a * e8;
            case 3 -> b * (e16 - e8); // with the fine decode: sC_hat - sF = b (E16 - E8)
            case 4 -> e16;
            default -> e16 - c * e8;
          };
    }
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    Arrays.sort(
        idx,
        (p, q) ->
            score[q] != score[p] ? Double.compare(score[q], score[p]) : Integer.compare(p, q));
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = idx[i];
    return out;
  }

  static double psnrAt(double[][] cells, int[] order, double share) {
    int k = (int) Math.round(share * cells.length);
    boolean[] fine = new boolean[cells.length];
    for (int i = 0; i < k; i++) fine[order[i]] = true;
    double sse = 0, px = 0;
    for (int i = 0; i < cells.length; i++) {
      sse += fine[i] ? cells[i][0] : cells[i][1];
      px += cells[i][4];
    }
    double mse = sse / (3 * px);
    return 10 * Math.log10(255.0 * 255.0 / mse);
  }
}
