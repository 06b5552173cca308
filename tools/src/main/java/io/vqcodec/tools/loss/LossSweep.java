package io.vqcodec.tools.loss;

import io.vqcodec.decoder.Concealment;
import io.vqcodec.decoder.DecodeOptions;
import io.vqcodec.decoder.DecodedPicture;
import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.neural.Pixels;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tools.eval.Metrics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Loss sweep: how much quality survives when tokens or slices of a real stream are lost, with each
 * concealment a user can choose. It measures the decoder as shipped: each image is encoded ({@link
 * ImageEncoder}), then decoded by {@link ImageDecoder} with the decoder's own loss simulation
 * ({@link DecodeOptions#withLoss}, {@link LossSimulation}), exactly what {@code vqcodec decode
 * --simulate-loss P --loss-unit U --seed S --conceal C} does.
 *
 * <p>{@code LossSweep [--images ../shared/data/kodak] [--out results/loss/loss-sweep] [--quality 7]
 * [--slice-rows 1] [--units token,burst,slice] [--p 5,10,20,30] [--conceal predict,neighbours,none]
 * [--seed 1] [--limit N] [--part I/N] [--merge a.csv,b.csv]}
 *
 * <ul>
 *   <li>Images: the sorted images of the folder (the first {@code --limit}); {@code --part I/N}
 *       takes those whose index is I modulo N, so that N processes can share the work; {@code
 *       --merge} rewrites the summary from their CSV files.
 *   <li>Streams: {@code vqcodec encode -q Q --slice-rows R}; one-row slices by default, so that a
 *       share of the slices is the same share of the picture (at the default 8-row slices a Kodak
 *       picture has 4 to 6 slices).
 *   <li>Loss: image {@code i} (its index in the sorted folder) is decoded with seed {@code seed +
 *       i}, so every row can be reproduced with the CLI; with one seed the tokens lost at P% are
 *       among those lost at a larger P.
 *   <li>Metrics: PSNR ({@link Pixels#psnr}) and MS-SSIM ({@link Metrics#msssim}) against the
 *       original picture; the drop is against the same stream decoded without loss.
 * </ul>
 *
 * <p>Writes {@code <out>.csv} (one row per image and decode) and {@code <out>.md} (means).
 */
public final class LossSweep {
  private LossSweep() {}

  /** Concealments a user can choose, by their CLI names ({@code vqcodec decode --conceal}). */
  static final Map<String, Concealment> CONCEALMENTS =
      Map.of(
          "predict",
          Concealment.PREDICT,
          "neighbours",
          Concealment.NEIGHBOURS,
          "none",
          Concealment.NONE);

  /** The settings of a sweep. */
  record Settings(
      int quality, int sliceRows, String[] units, int[] ps, String[] conceal, long seed) {
    EncoderOptions encoderOptions() {
      return EncoderOptions.defaults().withQuality(quality).withSliceRows(sliceRows);
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "`vqcodec encode -q %d --slice-rows %d`; loss seed %d + image index",
          quality,
          sliceRows,
          seed);
    }
  }

  /**
   * One decode of one image; {@code p == 0} is the lossless decode ({@code unit} and {@code
   * conceal} are then "-").
   */
  record Row(
      String image,
      double bpp,
      String unit,
      int p,
      String conceal,
      long seed,
      int lostTokens,
      int tokens,
      int lostCells,
      int cells,
      double psnr,
      double msssim) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException("options are --name value pairs: " + args[i]);
      }
      a.put(args[i].substring(2), args[++i]);
    }
    Path out = Paths.get(a.getOrDefault("out", "results/loss/loss-sweep"));
    Settings s =
        new Settings(
            Integer.parseInt(
                a.getOrDefault("quality", String.valueOf(EncoderOptions.DEFAULT_QUALITY))),
            Integer.parseInt(a.getOrDefault("slice-rows", "1")),
            a.getOrDefault("units", "token,burst,slice").split(","),
            Arrays.stream(a.getOrDefault("p", "5,10,20,30").split(","))
                .mapToInt(x -> Integer.parseInt(x.trim()))
                .toArray(),
            a.getOrDefault("conceal", "predict,neighbours,none").split(","),
            Long.parseLong(a.getOrDefault("seed", "1")));
    for (String c : s.conceal()) concealment(c);
    for (String u : s.units()) unit(u);
    List<Row> rows;
    if (a.containsKey("merge")) {
      rows = read(a.get("merge").split(","));
    } else {
      String[] part = a.getOrDefault("part", "0/1").split("/");
      rows =
          run(
              images(
                  Paths.get(a.getOrDefault("images", "../shared/data/kodak")),
                  Integer.parseInt(a.getOrDefault("limit", String.valueOf(Integer.MAX_VALUE)))),
              Integer.parseInt(part[0]),
              Integer.parseInt(part[1]),
              s);
    }
    write(out, rows, s);
  }

  /** The sorted images of a folder, the first {@code limit}. */
  static List<Path> images(Path folder, int limit) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(
              p ->
                  p.getFileName()
                      .toString()
                      .toLowerCase(Locale.ROOT)
                      .matches(".*\\.(png|jpg|jpeg|bmp|tif|tiff)"))
          .sorted()
          .limit(limit)
          .toList();
    }
  }

  /** Encodes and decodes the images whose index is {@code part} modulo {@code parts}. */
  static List<Row> run(List<Path> images, int part, int parts, Settings s) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (Tokenizer tokenizer = Tokenizer.loadDefault();
        ImageEncoder encoder = ImageEncoder.using(tokenizer);
        ImageDecoder decoder = ImageDecoder.using(tokenizer)) {
      for (int i = part; i < images.size(); i += parts) {
        long t0 = System.nanoTime();
        Path file = images.get(i);
        String name = file.getFileName().toString();
        BufferedImage original = ImageIO.read(file.toFile());
        if (original == null) throw new IOException(file + ": not an image ImageIO reads");
        EncodedPicture coded = encoder.encode(original, s.encoderOptions());
        long seed = s.seed() + i;
        DecodedPicture lossless = decode(decoder, coded, DecodeOptions.defaults());
        TokenGrid grid = lossless.tokens().grid();
        int tokens = grid.tokenCount(), cells = grid.cellsWide() * grid.cellsHigh();
        double losslessPsnr = Pixels.psnr(original, lossless.image());
        rows.add(
            new Row(
                name,
                coded.bpp(),
                "-",
                0,
                "-",
                seed,
                0,
                tokens,
                0,
                cells,
                losslessPsnr,
                Metrics.msssim(original, lossless.image())));
        int decodes = 1;
        for (String unit : s.units()) {
          for (int p : s.ps()) {
            for (String c : s.conceal()) {
              DecodeOptions options =
                  DecodeOptions.defaults()
                      .withConcealment(concealment(c))
                      .withLoss(new LossSimulation(unit(unit), p / 100.0, seed));
              DecodedPicture d = decode(decoder, coded, options);
              rows.add(
                  new Row(
                      name,
                      coded.bpp(),
                      unit,
                      p,
                      c,
                      seed,
                      d.tokens().lostTokens(),
                      tokens,
                      lostCells(d.tokens().grid()),
                      cells,
                      Pixels.psnr(original, d.image()),
                      Metrics.msssim(original, d.image())));
              decodes++;
            }
          }
        }
        System.out.printf(
            Locale.ROOT,
            "%s: %.4f bpp, lossless %.2f dB, %d decodes in %.1f s%n",
            name,
            coded.bpp(),
            losslessPsnr,
            decodes,
            (System.nanoTime() - t0) / 1e9);
      }
    }
    return rows;
  }

  private static DecodedPicture decode(
      ImageDecoder decoder, EncodedPicture coded, DecodeOptions options) throws IOException {
    return decoder.decode(new ByteArrayInputStream(coded.bytes()), options, null);
  }

  static Concealment concealment(String name) {
    Concealment c = CONCEALMENTS.get(name.trim());
    if (c == null)
      throw new IllegalArgumentException(
          "--conceal " + name + ": must be predict, neighbours or none");
    return c;
  }

  static LossSimulation.Unit unit(String name) {
    return switch (name.trim()) {
      case "token" -> LossSimulation.Unit.TOKEN;
      case "burst" -> LossSimulation.Unit.BURST;
      case "slice" -> LossSimulation.Unit.SLICE;
      default ->
          throw new IllegalArgumentException("--units " + name + ": must be token, burst or slice");
    };
  }

  /** Cells with at least one lost token. */
  static int lostCells(TokenGrid g) {
    int n = 0;
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        boolean lost = false;
        if (g.isFine(cx, cy)) {
          for (int q = 0; q < 4; q++)
            lost |= g.fineToken(2 * cx + (q & 1), 2 * cy + (q >> 1)) == TokenGrid.LOST;
        } else {
          lost = g.coarseToken(cx, cy) == TokenGrid.LOST;
        }
        if (lost) n++;
      }
    }
    return n;
  }

  static final String CSV_HEADER =
      "image,bpp,unit,p,conceal,seed,lost_tokens,tokens,lost_cells,cells,psnr,msssim";

  /** Rows of sweeps written earlier (parts run in parallel). */
  static List<Row> read(String[] csvs) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String c : csvs) {
      List<String> lines = Files.readAllLines(Paths.get(c.trim()));
      if (lines.isEmpty() || !lines.get(0).equals(CSV_HEADER))
        throw new IOException(c + ": not a loss sweep CSV");
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",", -1);
        rows.add(
            new Row(
                f[0],
                Double.parseDouble(f[1]),
                f[2],
                Integer.parseInt(f[3]),
                f[4],
                Long.parseLong(f[5]),
                Integer.parseInt(f[6]),
                Integer.parseInt(f[7]),
                Integer.parseInt(f[8]),
                Integer.parseInt(f[9]),
                Double.parseDouble(f[10]),
                Double.parseDouble(f[11])));
      }
    }
    rows.sort((x, y) -> x.image().compareTo(y.image()));
    return rows;
  }

  static void write(Path out, List<Row> rows, Settings s) throws IOException {
    if (out.getParent() != null) Files.createDirectories(out.getParent());
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (Row r : rows) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%.5f,%s,%d,%s,%d,%d,%d,%d,%d,%.4f,%.5f%n",
              r.image(),
              r.bpp(),
              r.unit(),
              r.p(),
              r.conceal(),
              r.seed(),
              r.lostTokens(),
              r.tokens(),
              r.lostCells(),
              r.cells(),
              r.psnr(),
              r.msssim()));
    }
    Files.writeString(out.resolveSibling(out.getFileName() + ".csv"), csv.toString());
    String md = summary(rows, s);
    Files.writeString(out.resolveSibling(out.getFileName() + ".md"), md);
    System.out.print(md);
  }

  /** The markdown summary: means over the images. */
  static String summary(List<Row> rows, Settings s) {
    List<Row> lossless = rows.stream().filter(r -> r.p() == 0).toList();
    double basePsnr = lossless.stream().mapToDouble(Row::psnr).average().orElse(Double.NaN);
    double baseMs = lossless.stream().mapToDouble(Row::msssim).average().orElse(Double.NaN);
    double bpp = lossless.stream().mapToDouble(Row::bpp).average().orElse(Double.NaN);
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT, "# Loss sweep (%d images; %s)%n%n", lossless.size(), s.describe()));
    md.append("Written by `io.vqcodec.tools.loss.LossSweep` (command: `tools/LOSS.md`).\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Streams: mean %.4f bpp; decoded without loss: PSNR %.2f dB, MS-SSIM %.4f "
                + "(against the original pictures).%n%n",
            bpp,
            basePsnr,
            baseMs));
    md.append(
        "Loss by the decoder's own simulation (`vqcodec decode --simulate-loss P --loss-unit U`): `token` = P% of the "
            + "coded tokens at random, `burst` = runs of 16 coded tokens, `slice` = P% of the slices (rounded to whole "
            + "slices); the decoder does not know the granularity of a lost slice's cells and takes them as fine (4 lost "
            + "tokens each, so `tokens lost` can exceed P% there; `cells lost` is the share of cells with a lost token). "
            + "Concealment: `predict` (the default), `neighbours`, `none` (lost cells gray). Means over images; dPSNR "
            + "and dMS-SSIM against the same streams decoded without loss.\n\n");
    md.append("| lost | predict (default) | neighbours | none |\n|---|---:|---:|---:|\n");
    for (String unit : s.units()) {
      for (int p : s.ps()) {
        md.append(String.format(Locale.ROOT, "| %d%% %ss |", p, unit));
        for (String c : List.of("predict", "neighbours", "none")) {
          List<Row> sel = select(rows, unit, p, c);
          md.append(
              sel.isEmpty()
                  ? " |"
                  : String.format(
                      Locale.ROOT,
                      " %+.2f dB (%.4f) |",
                      mean(sel, Row::psnr) - basePsnr,
                      mean(sel, Row::msssim)));
        }
        md.append('\n');
      }
    }
    md.append("\ndPSNR; in brackets MS-SSIM.\n\n");
    md.append(
            "| unit | P % | conceal | tokens lost % | cells lost % | PSNR dB | dPSNR dB | MS-SSIM | dMS-SSIM |\n")
        .append("|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
    md.append(
        String.format(
            Locale.ROOT,
            "| - | 0 | (no loss) | 0.0 | 0.0 | %.2f | +0.00 | %.4f | +0.0000 |%n",
            basePsnr,
            baseMs));
    for (String unit : s.units()) {
      for (int p : s.ps()) {
        for (String c : s.conceal()) {
          List<Row> sel = select(rows, unit, p, c);
          if (sel.isEmpty()) continue;
          double psnr = mean(sel, Row::psnr), ms = mean(sel, Row::msssim);
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %s | %.1f | %.1f | %.2f | %+.2f | %.4f | %+.4f |%n",
                  unit,
                  p,
                  c,
                  100 * mean(sel, r -> r.lostTokens() / (double) r.tokens()),
                  100 * mean(sel, r -> r.lostCells() / (double) r.cells()),
                  psnr,
                  psnr - basePsnr,
                  ms,
                  ms - baseMs));
        }
      }
    }
    return md.toString();
  }

  private static List<Row> select(List<Row> rows, String unit, int p, String conceal) {
    return rows.stream()
        .filter(r -> r.unit().equals(unit) && r.p() == p && r.conceal().equals(conceal))
        .toList();
  }

  private static double mean(List<Row> rows, ToDoubleFunction<Row> f) {
    return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
  }
}
