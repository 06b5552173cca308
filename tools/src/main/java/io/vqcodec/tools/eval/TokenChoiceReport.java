package io.vqcodec.tools.eval;

import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.neural.Pixels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Rate-distortion optimized quantization (the encoder's choice among each position's nearest
 * codewords, EncoderOptions#withTokenChoice) measured over a folder: every picture coded at each
 * quality step with each weight, decoded, RGB PSNR and MS-SSIM against the source. Prints one CSV
 * row per picture, step and weight, then per weight the mean curve and its BD-rates (PSNR and
 * MS-SSIM) against weight 0 (the nearest codewords). Choose the weight on the validation images,
 * never on Kodak.
 *
 * <pre>
 * tools/run.sh io.vqcodec.tools.eval.TokenChoiceReport FOLDER QUALITIES WEIGHTS
 *   e.g. ../shared/data/val 2,4,6,7,9,11,14 0,0.5,1,2
 * </pre>
 */
public final class TokenChoiceReport {
  private TokenChoiceReport() {}

  public static void main(String[] args) throws IOException {
    List<Path> images;
    try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
      images = s.filter(Files::isRegularFile).sorted().toList();
    }
    int[] qualities = parseInts(args[1]);
    double[] weights = parseDoubles(args[2]);
    // [weight][quality]: sums of bpp, PSNR, MS-SSIM
    double[][][] sum = new double[weights.length][qualities.length][3];
    int n = 0;
    System.out.println("picture,quality,weight,bytes,bpp,psnr,msssim");
    try (ImageEncoder encoder = ImageEncoder.open();
        ImageDecoder decoder = ImageDecoder.open()) {
      for (Path p : images) {
        BufferedImage img = ImageIO.read(p.toFile());
        if (img == null) continue;
        BufferedImage src = SourceImage.toRgb(img);
        double pixels = (double) src.getWidth() * src.getHeight();
        for (int qi = 0; qi < qualities.length; qi++) {
          for (int wi = 0; wi < weights.length; wi++) {
            EncoderOptions o =
                EncoderOptions.defaults().withQuality(qualities[qi]).withTokenChoice(weights[wi]);
            EncodedPicture e = encoder.encode(src, o);
            BufferedImage d = decoder.decode(new ByteArrayInputStream(e.bytes())).image();
            double bpp = 8.0 * e.bytes().length / pixels;
            double psnr = Pixels.psnr(src, d), ms = Metrics.msssim(src, d);
            sum[wi][qi][0] += bpp;
            sum[wi][qi][1] += psnr;
            sum[wi][qi][2] += ms;
            System.out.printf(
                Locale.ROOT,
                "%s,%d,%s,%d,%.5f,%.4f,%.5f%n",
                p.getFileName(),
                qualities[qi],
                weights[wi],
                e.bytes().length,
                bpp,
                psnr,
                ms);
          }
        }
        n++;
      }
    }
    double[][] rate = new double[weights.length][qualities.length];
    double[][] psnr = new double[weights.length][qualities.length];
    double[][] ms = new double[weights.length][qualities.length];
    for (int wi = 0; wi < weights.length; wi++) {
      for (int qi = 0; qi < qualities.length; qi++) {
        rate[wi][qi] = sum[wi][qi][0] / n;
        psnr[wi][qi] = sum[wi][qi][1] / n;
        ms[wi][qi] = Bjontegaard.msssimDb(sum[wi][qi][2] / n);
      }
    }
    for (int wi = 0; wi < weights.length; wi++) {
      StringBuilder curve = new StringBuilder();
      for (int qi = 0; qi < qualities.length; qi++) {
        curve.append(
            String.format(
                Locale.ROOT,
                " q%d %.4f bpp %.3f dB %.5f;",
                qualities[qi],
                rate[wi][qi],
                psnr[wi][qi],
                sum[wi][qi][2] / n));
      }
      System.out.printf(
          Locale.ROOT,
          "# weight %s (%d pictures):%s BD-rate against weight %s: PSNR %+.2f%%, MS-SSIM %+.2f%%%n",
          weights[wi],
          n,
          curve,
          weights[0],
          Bjontegaard.bdRate(rate[0], psnr[0], rate[wi], psnr[wi], Bjontegaard.Method.PCHIP),
          Bjontegaard.bdRate(rate[0], ms[0], rate[wi], ms[wi], Bjontegaard.Method.PCHIP));
    }
  }

  private static int[] parseInts(String s) {
    List<Integer> v = new ArrayList<>();
    for (String f : s.split(",")) v.add(Integer.parseInt(f.strip()));
    return v.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double[] parseDoubles(String s) {
    List<Double> v = new ArrayList<>();
    for (String f : s.split(",")) v.add(Double.parseDouble(f.strip()));
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
