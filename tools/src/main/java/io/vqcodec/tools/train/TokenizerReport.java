package io.vqcodec.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vqcodec.neural.Pixels;
import io.vqcodec.neural.Ssim;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Evaluates a tokenizer model on a folder of images through the public {@link Tokenizer} API: for
 * every codebook level and for fine-only, coarse-only and 50/50 grids (per-cell Bernoulli(0.5) with
 * {@code new Random(12345)}), mean PSNR (RGB, 8-bit), SSIM (11-tap Gaussian, RGB mean) and MS-SSIM
 * (5 scales, {@link Ssim#msssim}), distinct codes used and bits per pixel at a flat log2(K) per
 * token; plus encode and decode wall time per image (median over images after one warm-up).
 *
 * <p>Usage: {@code TokenizerReport [--model DIR] --images DIR [--csv OUT.csv] [--levels 4096,...]}.
 * Reporting only: never select or tune on Kodak.
 */
public final class TokenizerReport {
  private TokenizerReport() {}

  public static void main(String[] args) throws Exception {
    String model = null, images = null, csv = null, levels = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--model" -> model = args[i + 1];
        case "--images" -> images = args[i + 1];
        case "--csv" -> csv = args[i + 1];
        case "--levels" -> levels = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(Paths.get(images))) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> p.toString().matches("(?i).*\\.(png|jpe?g|tiff?|bmp)$"))
              .sorted()
              .toList();
    }
    try (Tokenizer tok =
            model == null
                ? Tokenizer.loadDefault()
                : Tokenizer.open(ModelRegistry.loadFolder(Paths.get(model)));
        NDManager m = NDManager.newBaseManager()) {
      int[] ks =
          levels == null
              ? tok.codebookSizes()
              : Arrays.stream(levels.split(",")).mapToInt(Integer::parseInt).toArray();
      List<BufferedImage> imgs = new ArrayList<>();
      for (Path f : files) {
        BufferedImage b = ImageIO.read(f.toFile());
        if (b != null) imgs.add(b);
      }
      StringBuilder out =
          new StringBuilder(
              "codebook,grid,psnr,ssim,msssim,codes_used,bpp_flat,encode_ms,decode_ms\n");
      String[] modes = {"fine", "coarse", "half"};
      for (int k : ks) {
        double[][] psnr = new double[3][imgs.size()],
            ssim = new double[3][imgs.size()],
            ms = new double[3][imgs.size()];
        double[] bpp = new double[3];
        boolean[][] used = new boolean[3][k];
        List<Double> enc = new ArrayList<>(), dec = new ArrayList<>();
        for (int i = 0; i < imgs.size(); i++) {
          BufferedImage img = imgs.get(i);
          long t0 = System.nanoTime();
          TokenGrid[] both = tok.encodeBoth(img, k);
          enc.add((System.nanoTime() - t0) / 1e6);
          for (int mode = 0; mode < 3; mode++) {
            boolean[] cells = new boolean[both[0].cellsWide() * both[0].cellsHigh()];
            Random r = new Random(12345);
            for (int c = 0; c < cells.length; c++)
              cells[c] = mode == 0 || (mode == 2 && r.nextBoolean());
            TokenGrid g = TokenGrid.mix(both[0], both[1], cells);
            long t1 = System.nanoTime();
            BufferedImage rec = tok.decode(g);
            if (mode == 0) dec.add((System.nanoTime() - t1) / 1e6);
            psnr[mode][i] = Pixels.psnr(img, rec);
            double[] sm = ssim(m, img, rec);
            ssim[mode][i] = sm[0];
            ms[mode][i] = sm[1];
            bpp[mode] +=
                g.tokenCount()
                    * (Math.log(k) / Math.log(2))
                    / ((double) img.getWidth() * img.getHeight());
            mark(g, used[mode]);
          }
        }
        for (int mode = 0; mode < 3; mode++) {
          int u = 0;
          for (boolean b : used[mode]) if (b) u++;
          String line =
              String.format(
                  Locale.ROOT,
                  "%d,%s,%.3f,%.4f,%.4f,%d,%.4f,%.1f,%.1f%n",
                  k,
                  modes[mode],
                  mean(psnr[mode]),
                  mean(ssim[mode]),
                  mean(ms[mode]),
                  u,
                  bpp[mode] / imgs.size(),
                  median(enc),
                  median(dec));
          out.append(line);
          System.out.print(line);
        }
      }
      if (csv != null) Files.writeString(Paths.get(csv), out.toString());
    }
  }

  /**
   * The grid {@link Tokenizer#encode} returns for {@code cells}, built from {@link
   * Tokenizer#encodeBoth}.
   */
  private static void mark(TokenGrid g, boolean[] used) {
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        if (g.isFine(cx, cy)) {
          for (int q = 0; q < 4; q++) used[g.fineToken(2 * cx + (q & 1), 2 * cy + (q >> 1))] = true;
        } else {
          used[g.coarseToken(cx, cy)] = true;
        }
      }
    }
  }

  /** {SSIM, MS-SSIM (NaN when a side is below 176)}. */
  static double[] ssim(NDManager base, BufferedImage a, BufferedImage b) {
    int w = a.getWidth(), h = a.getHeight();
    try (NDManager m = base.newSubManager()) {
      NDArray x = m.create(Pixels.toPlanar(a, w, h), new Shape(1, 3, h, w));
      NDArray y = m.create(Pixels.toPlanar(b, w, h), new Shape(1, 3, h, w));
      double ms = Math.min(w, h) >= 176 ? Ssim.msssim(x, y) : Double.NaN;
      return new double[] {Ssim.ssim(x, y).getFloat(0), ms};
    }
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  private static double median(List<Double> v) {
    if (v.size() <= 1) return v.isEmpty() ? Double.NaN : v.get(0);
    List<Double> s = new ArrayList<>(v.subList(1, v.size())); // first call is warm-up
    s.sort(null);
    return s.get(s.size() / 2);
  }
}
