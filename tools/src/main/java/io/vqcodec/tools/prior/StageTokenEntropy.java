package io.vqcodec.tools.prior;

import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.neural.TensorFile;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * What a token model for the residual stages' tokens could save (Spec §6.8.3 codes them as raw
 * bits): every picture of a folder coded at one quality step, its stage tokens decoded from the
 * stream, and their cost under three ideal codes against the raw bits: a static order-0 code from
 * the released model's own stage usage (the training counts in its weights file), an adaptive
 * order-0 code per picture (Laplace counts from one, as a slice would learn them), and the
 * empirical entropy of the folder's stage tokens given the stage-1 token's top bits (an optimistic
 * bound on what a context of the stage-1 token offers: fitted on the very tokens it codes).
 *
 * <pre>
 * tools/run.sh io.vqcodec.tools.prior.StageTokenEntropy FOLDER QUALITY WEIGHTS_FILE CONTEXT_BITS
 *   e.g. ../shared/data/val 14 models/src/main/resources/io/vqcodec/models/tok-v2/weights.vqt 4
 * </pre>
 */
public final class StageTokenEntropy {
  private StageTokenEntropy() {}

  public static void main(String[] args) throws IOException {
    List<Path> images;
    try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
      images = s.filter(Files::isRegularFile).sorted().toList();
    }
    int quality = Integer.parseInt(args[1]);
    var weights = TensorFile.read(Path.of(args[2]));
    int contextBits = Integer.parseInt(args[3]);
    long pictures = 0, fileBytes = 0;
    double[] raw = new double[TokenGrid.MAX_STAGES + 1], stat = new double[raw.length];
    double[] adapt = new double[raw.length];
    long[] count = new long[raw.length];
    long[][][] joint = null; // [stage][context][token]
    int stageK = 0;
    try (ImageEncoder encoder = ImageEncoder.open()) {
      for (Path p : images) {
        BufferedImage img = ImageIO.read(p.toFile());
        if (img == null) continue;
        EncodedPicture e = encoder.encode(img, EncoderOptions.defaults().withQuality(quality));
        TokenGrid g =
            TokenDecoder.decode(new ByteArrayInputStream(e.bytes()), LossSimulation.NONE, null)
                .grid();
        pictures++;
        fileBytes += e.bytes().length;
        stageK = g.stageCodebookSize();
        if (stageK == 0) continue;
        int bits = Integer.numberOfTrailingZeros(stageK),
            kBits = Integer.numberOfTrailingZeros(g.codebookSize());
        if (joint == null) joint = new long[raw.length][1 << contextBits][stageK];
        for (int s = 2; s <= g.stageCount(); s++) {
          float[] usage = weights.get("stage." + s + ".usage").data();
          double total = 0;
          for (float u : usage) total += u + 1e-3;
          int[] adaptive = new int[stageK];
          long seen = 0;
          for (int fy = 0; fy < g.fineHigh(); fy++) {
            for (int fx = 0; fx < g.fineWide(); fx++) {
              int cx = fx >> 1, cy = fy >> 1;
              if (g.cellStages(cx, cy) < s) continue;
              int t = g.stageToken(s, fx, fy);
              raw[s] += bits;
              stat[s] += -log2((usage[t] + 1e-3) / total);
              adapt[s] += -log2((adaptive[t] + 1.0) / (seen + stageK));
              adaptive[t]++;
              seen++;
              count[s]++;
              int ctx = g.fineToken(fx, fy) >> (kBits - contextBits);
              joint[s][ctx][t]++;
            }
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%d pictures at quality %d, %d bytes in all; stage codebooks of %d%n",
        pictures,
        quality,
        fileBytes,
        stageK);
    for (int s = 2; s < raw.length; s++) {
      if (count[s] == 0) continue;
      double conditional = 0;
      for (long[] row : joint[s]) {
        long n = 0;
        for (long c : row) n += c;
        for (long c : row) if (c > 0) conditional -= c * log2(c / (double) n);
      }
      double marginal = 0;
      long[] m = new long[stageK];
      for (long[] row : joint[s]) for (int t = 0; t < stageK; t++) m[t] += row[t];
      for (long c : m) if (c > 0) marginal -= c * log2(c / (double) count[s]);
      System.out.printf(
          Locale.ROOT,
          "stage %d: %d tokens, %.0f raw bytes (%.1f%% of the files); bits per token: raw %.3f,"
              + " static order-0 %.3f, adaptive order-0 %.3f, empirical %.3f, given the stage-1"
              + " token's top %d bits %.3f (fitted on these tokens)%n",
          s,
          count[s],
          raw[s] / 8,
          100 * raw[s] / 8 / fileBytes,
          raw[s] / count[s],
          stat[s] / count[s],
          adapt[s] / count[s],
          marginal / count[s],
          contextBits,
          conditional / count[s]);
    }
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
