package io.vqcodec.tools.eval;

import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.neural.Pixels;
import io.vqcodec.neural.Tokenizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Fixed encoder settings (resolution, codebook size, share of fine cells) measured over a folder of
 * images: mean bpp, PSNR and MS-SSIM per setting. This is how the {@code --quality} ladder's steps
 * are chosen, on the validation images (never on Kodak, the evaluation set).
 *
 * <pre>
 * java -cp "tools/target/classes:tools/target/lib/*" io.vqcodec.tools.eval.LadderSweep \
 *   --images ../shared/data/val --settings 2:4096:0,2:4096:100,1:1024:0 --out results/ladder/val.md
 * </pre>
 *
 * A setting is {@code shift:K:percent}: Spec §9.6.1 resolution shift (0 = full size), codebook
 * size, percent of 16x16 cells coded fine (chosen by the rate-distortion strategy).
 */
public final class LadderSweep {
  private LadderSweep() {}

  record Setting(int shift, int k, int percent) {
    static Setting parse(String s) {
      String[] f = s.strip().split(":");
      if (f.length != 3)
        throw new IllegalArgumentException("setting " + s + ": want shift:K:percent");
      return new Setting(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]));
    }

    EncoderOptions options() {
      return EncoderOptions.defaults().withCodebook(k, percent / 100.0).withResolutionShift(shift);
    }

    @Override
    public String toString() {
      return (shift == 0 ? "full" : "1/" + (1 << shift)) + " K=" + k + " " + percent + "% fine";
    }
  }

  public static void main(String[] args) throws IOException {
    Path images = Paths.get("../shared/data/val");
    Path out = null;
    List<Setting> settings = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--images" -> images = Paths.get(args[++i]);
        case "--out" -> out = Paths.get(args[++i]);
        case "--settings" -> {
          for (String s : args[++i].split(",")) settings.add(Setting.parse(s));
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (settings.isEmpty())
      throw new IllegalArgumentException("--settings shift:K:percent,... required");
    List<Path> files;
    try (Stream<Path> s = Files.walk(images)) {
      files = s.filter(p -> p.toString().matches("(?i).*\\.(png|tif|tiff|jpg)$")).sorted().toList();
    }
    double[][] sums = new double[settings.size()][3];
    try (Tokenizer t = Tokenizer.loadDefault()) {
      ImageEncoder encoder = ImageEncoder.using(t);
      ImageDecoder decoder = ImageDecoder.using(t);
      for (Path f : files) {
        BufferedImage img = SourceImage.toRgb(ImageIO.read(f.toFile()));
        StringBuilder line = new StringBuilder(f.getFileName().toString());
        for (int i = 0; i < settings.size(); i++) {
          EncodedPicture coded = encoder.encode(img, settings.get(i).options());
          BufferedImage back =
              SourceImage.toRgb(decoder.decode(new ByteArrayInputStream(coded.bytes())).image());
          double psnr = Pixels.psnr(img, back), ms = Metrics.msssim(img, back);
          sums[i][0] += coded.bpp();
          sums[i][1] += psnr;
          sums[i][2] += ms;
          line.append(String.format(Locale.ROOT, "  %.4f/%.2f", coded.bpp(), psnr));
        }
        System.out.println(line);
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("Fixed settings over ")
        .append(files.size())
        .append(" images of ")
        .append(images)
        .append(" (means; `LadderSweep ")
        .append(String.join(" ", args))
        .append("`)\n\n| setting | bpp | PSNR dB | MS-SSIM |\n|---|---:|---:|---:|\n");
    for (int i = 0; i < settings.size(); i++) {
      int n = files.size();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.4f | %.2f | %.4f |%n",
              settings.get(i),
              sums[i][0] / n,
              sums[i][1] / n,
              sums[i][2] / n));
    }
    System.out.print(md);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
        w.print(md);
      }
    }
  }
}
