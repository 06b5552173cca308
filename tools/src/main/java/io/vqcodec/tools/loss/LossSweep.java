package io.vqcodec.tools.loss;

import io.vqcodec.neural.Pixels;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.neural.TokenPredictor;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tools.eval.Metrics;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Token-loss sweep: how much quality survives when tokens or slices are lost, with three
 * concealments.
 *
 * <p>{@code LossSweep [--images ../shared/data/kodak] [--out results/loss/loss-sweep] [--k 4096]
 * [--granularity fine|coarse] [--p 0,5,10,20,30] [--modes token,slice] [--seed 1] [--passes 4]
 * [--quick] [--merge part1.csv,part2.csv]}; {@code --merge} only rewrites the summary from the rows of
 * sweeps run in parts (the other options must match theirs). Each image is tokenized (all-fine or all-coarse at level K); per mode and P, a seeded
 * damage pattern marks tokens LOST:
 *
 * <ul>
 *   <li>{@code token}: round(P% of the units) chosen uniformly without replacement (a unit is a fine
 *       token, or the token of a coarse cell);
 *   <li>{@code slice}: round(P% of the cell rows) whole cell rows (slices of one cell row, Spec §5)
 *       chosen uniformly without replacement: bursts of lost tokens.
 * </ul>
 *
 * <p>Reconstructions: {@code transformer} ({@link TokenPredictor#conceal}, most probable tokens,
 * then decode), {@code transformer-mean} (the same with the tokens nearest the mean predicted code),
 * {@code fallback} (the tokenizer's built-in neighbour-mean embedding concealment in {@link
 * Tokenizer#decode}), {@code none} (every LOST token replaced by token 0, then decode). PSNR (RGB)
 * and MS-SSIM against the original image. Writes {@code <out>.csv} (per image) and {@code <out>.md}
 * (means). {@code --quick}: the first 3 images, P = 0, 20.
 */
public final class LossSweep {
  static final String[] METHODS = {"transformer", "transformer-mean", "transformer-soft", "fallback", "none"};

  private LossSweep() {}

  /** One measured row. */
  public record Row(String image, String mode, int p, String method, int lost, double psnr, double msssim,
      double top1) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String k = args[i].replaceFirst("^--", "");
      if (k.equals("quick")) {
        a.put(k, "true");
      } else {
        a.put(k, args[++i]);
      }
    }
    boolean quick = a.containsKey("quick");
    Path images = Paths.get(a.getOrDefault("images", "../shared/data/kodak"));
    Path out = Paths.get(a.getOrDefault("out", quick ? "results/loss/loss-sweep-quick" : "results/loss/loss-sweep"));
    int k = Integer.parseInt(a.getOrDefault("k", "4096"));
    boolean coarse = a.getOrDefault("granularity", "fine").equals("coarse");
    int[] ps = Arrays.stream(a.getOrDefault("p", quick ? "0,20" : "0,5,10,20,30").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    String[] modes = a.getOrDefault("modes", "token,slice").split(",");
    long seed = Long.parseLong(a.getOrDefault("seed", "1"));
    int passes = Integer.parseInt(a.getOrDefault("passes", String.valueOf(TokenPredictor.DEFAULT_PASSES)));
    int limit = quick ? 3 : Integer.parseInt(a.getOrDefault("limit", "1000000"));
    List<Row> rows = a.containsKey("merge") ? read(a.get("merge").split(","))
        : run(images, k, coarse, ps, modes, seed, passes, limit);
    write(out, rows, k, coarse, seed, passes, ps, modes);
  }

  /** Rows of sweeps written earlier ({@code --merge a.csv,b.csv}: parts run in parallel). */
  static List<Row> read(String[] csvs) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (String c : csvs) {
      List<String> lines = Files.readAllLines(Paths.get(c.trim()));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",", -1);
        rows.add(new Row(f[0], f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]), Double.parseDouble(f[5]),
            Double.parseDouble(f[6]), f[7].isEmpty() ? Double.NaN : Double.parseDouble(f[7])));
      }
    }
    return rows;
  }

  /** Runs the sweep over the sorted images of a folder. */
  public static List<Row> run(Path images, int k, boolean coarse, int[] ps, String[] modes, long seed, int passes,
      int limit) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(images)) {
      files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpg|jpeg|bmp|tif|tiff)"))
          .sorted().limit(limit).toList();
    }
    List<Row> rows = new ArrayList<>();
    try (Tokenizer tok = Tokenizer.loadDefault();
        TokenPredictor tp = TokenPredictor.loadDefault()) {
      for (int fi = 0; fi < files.size(); fi++) {
        Path f = files.get(fi);
        String name = f.getFileName().toString();
        BufferedImage img = ImageIO.read(f.toFile());
        TokenGrid clean = tok.encodeBoth(img, k)[coarse ? 1 : 0];
        BufferedImage ref = null;
        long t0 = System.nanoTime();
        for (String mode : modes) {
          for (int p : ps) {
            if (p == 0 && ref != null) {
              for (String m : METHODS) {
                rows.add(new Row(name, mode, 0, m, 0, Pixels.psnr(img, ref), Metrics.msssim(img, ref), Double.NaN));
              }
              continue;
            }
            TokenGrid damaged = clean.copy();
            int lost = damage(damaged, mode, p, new Random(seed * 1_000_003L + fi * 1009L + p * 31L + mode.hashCode()));
            if (p == 0) {
              ref = tok.decode(damaged);
              for (String m : METHODS) {
                rows.add(new Row(name, mode, 0, m, 0, Pixels.psnr(img, ref), Metrics.msssim(img, ref), Double.NaN));
              }
              continue;
            }
            TokenGrid tg = damaged.copy();
            tp.conceal(tg, passes, false);
            BufferedImage rt = tok.decode(tg);
            rows.add(new Row(name, mode, p, "transformer", lost, Pixels.psnr(img, rt), Metrics.msssim(img, rt),
                agreement(clean, damaged, tg)));
            TokenGrid tm = damaged.copy();
            tp.conceal(tm, passes, true);
            BufferedImage rm = tok.decode(tm);
            rows.add(new Row(name, mode, p, "transformer-mean", lost, Pixels.psnr(img, rm), Metrics.msssim(img, rm),
                agreement(clean, damaged, tm)));
            BufferedImage rs = tok.decode(damaged, tp.expectedCodes(damaged, tok, passes));
            rows.add(new Row(name, mode, p, "transformer-soft", lost, Pixels.psnr(img, rs), Metrics.msssim(img, rs),
                Double.NaN));
            BufferedImage rf = tok.decode(damaged);
            rows.add(new Row(name, mode, p, "fallback", lost, Pixels.psnr(img, rf), Metrics.msssim(img, rf), Double.NaN));
            TokenGrid zero = damaged.copy();
            fillLost(zero, 0);
            BufferedImage rz = tok.decode(zero);
            rows.add(new Row(name, mode, p, "none", lost, Pixels.psnr(img, rz), Metrics.msssim(img, rz),
                agreement(clean, damaged, zero)));
          }
        }
        System.out.printf(Locale.ROOT, "%s done in %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
      }
    }
    return rows;
  }

  /** Marks round(p% of units or cell rows) LOST; returns the number of lost tokens (units). */
  static int damage(TokenGrid g, String mode, int p, Random rnd) {
    int cw = g.cellsWide(), ch = g.cellsHigh();
    if (mode.equals("slice")) {
      int n = (int) Math.round(ch * p / 100.0);
      int[] order = shuffled(ch, rnd);
      int lost = 0;
      for (int i = 0; i < n; i++) {
        int cy = order[i];
        for (int cx = 0; cx < cw; cx++) lost += loseCell(g, cx, cy);
      }
      return lost;
    }
    if (!mode.equals("token")) throw new IllegalArgumentException("mode must be token or slice: " + mode);
    List<int[]> units = new ArrayList<>();
    for (int cy = 0; cy < ch; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        if (g.isFine(cx, cy)) {
          for (int j = 0; j < 4; j++) units.add(new int[] {2 * cx + j % 2, 2 * cy + j / 2, 0});
        } else {
          units.add(new int[] {cx, cy, 1});
        }
      }
    }
    int n = (int) Math.round(units.size() * p / 100.0);
    int[] order = shuffled(units.size(), rnd);
    for (int i = 0; i < n; i++) {
      int[] u = units.get(order[i]);
      if (u[2] == 0) {
        g.setFineToken(u[0], u[1], TokenGrid.LOST);
      } else {
        g.setCoarseToken(u[0], u[1], TokenGrid.LOST);
      }
    }
    return n;
  }

  private static int loseCell(TokenGrid g, int cx, int cy) {
    if (!g.isFine(cx, cy)) {
      g.setCoarseToken(cx, cy, TokenGrid.LOST);
      return 1;
    }
    for (int j = 0; j < 4; j++) g.setFineToken(2 * cx + j % 2, 2 * cy + j / 2, TokenGrid.LOST);
    return 4;
  }

  private static int[] shuffled(int n, Random rnd) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1), t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** Fraction of the tokens LOST in {@code damaged} that {@code filled} restores to {@code clean}'s value. */
  static double agreement(TokenGrid clean, TokenGrid damaged, TokenGrid filled) {
    int n = 0, ok = 0;
    for (int cy = 0; cy < clean.cellsHigh(); cy++) {
      for (int cx = 0; cx < clean.cellsWide(); cx++) {
        if (clean.isFine(cx, cy)) {
          for (int j = 0; j < 4; j++) {
            int fx = 2 * cx + j % 2, fy = 2 * cy + j / 2;
            if (damaged.fineToken(fx, fy) != TokenGrid.LOST) continue;
            n++;
            if (filled.fineToken(fx, fy) == clean.fineToken(fx, fy)) ok++;
          }
        } else if (damaged.coarseToken(cx, cy) == TokenGrid.LOST) {
          n++;
          if (filled.coarseToken(cx, cy) == clean.coarseToken(cx, cy)) ok++;
        }
      }
    }
    return n == 0 ? Double.NaN : ok / (double) n;
  }

  static void fillLost(TokenGrid g, int token) {
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        if (g.isFine(cx, cy)) {
          for (int j = 0; j < 4; j++) {
            int fx = 2 * cx + j % 2, fy = 2 * cy + j / 2;
            if (g.fineToken(fx, fy) == TokenGrid.LOST) g.setFineToken(fx, fy, token);
          }
        } else if (g.coarseToken(cx, cy) == TokenGrid.LOST) {
          g.setCoarseToken(cx, cy, token);
        }
      }
    }
  }

  static void write(Path out, List<Row> rows, int k, boolean coarse, long seed, int passes, int[] ps, String[] modes)
      throws Exception {
    if (out.getParent() != null) Files.createDirectories(out.getParent());
    StringBuilder csv = new StringBuilder("image,mode,p,method,lost_tokens,psnr,msssim,token_top1\n");
    for (Row r : rows) {
      csv.append(String.format(Locale.ROOT, "%s,%s,%d,%s,%d,%.4f,%.5f,%s%n", r.image(), r.mode(), r.p(), r.method(),
          r.lost(), r.psnr(), r.msssim(), Double.isNaN(r.top1()) ? "" : String.format(Locale.ROOT, "%.4f", r.top1())));
    }
    Files.writeString(out.resolveSibling(out.getFileName() + ".csv"), csv.toString());
    long images = rows.stream().map(Row::image).distinct().count();
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "# Token-loss sweep (%d images, K=%d, all-%s grid, seed %d, %d transformer passes)%n%n",
        images, k, coarse ? "coarse" : "fine", seed, passes));
    md.append("Mean over images. dPSNR = mean PSNR minus the mean PSNR at P = 0 (no loss). ")
        .append("`transformer` = mask-v1 most probable tokens, `transformer-mean` = tokens nearest the predicted mean code; `transformer-soft` = the predicted mean code itself fed to the decoder (no token); `none` replaces lost tokens by token 0; `fallback` is the tokenizer's neighbour-mean embedding; ")
        .append("token top-1 = fraction of lost tokens restored exactly.\n\n");
    md.append("| mode | P % | method | PSNR dB | dPSNR dB | MS-SSIM | token top-1 |\n|---|---|---|---|---|---|---|\n");
    for (String mode : modes) {
      double base = mean(rows, mode, 0, "fallback", true);
      for (int p : ps) {
        for (String m : METHODS) {
          double psnr = mean(rows, mode, p, m, true), ms = mean(rows, mode, p, m, false);
          double t1 = rows.stream().filter(r -> r.mode().equals(mode) && r.p() == p && r.method().equals(m)
              && !Double.isNaN(r.top1())).mapToDouble(Row::top1).average().orElse(Double.NaN);
          md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %+.2f | %.4f | %s |%n", mode, p, p == 0 ? "(no loss)" : m, psnr,
              psnr - base, ms, Double.isNaN(t1) ? "" : String.format(Locale.ROOT, "%.3f", t1)));
          if (p == 0) break;
        }
      }
    }
    Files.writeString(out.resolveSibling(out.getFileName() + ".md"), md.toString());
    System.out.print(md);
  }

  private static double mean(List<Row> rows, String mode, int p, String m, boolean psnr) {
    return rows.stream().filter(r -> r.mode().equals(mode) && r.p() == p && r.method().equals(m))
        .mapToDouble(r -> psnr ? r.psnr() : r.msssim()).average().orElse(Double.NaN);
  }
}
