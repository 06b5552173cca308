package io.vqcodec.tools.eval;

import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.neural.Pixels;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
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
 * What {@code decode --fast} costs in fidelity (ImageDecoder.Synthesis.FAST, Spec §4.4
 * informative): every picture of a folder coded once per setting by the default encoder, then
 * decoded with the stream's own network and with the faster one; and coded by the encoder of the
 * faster model ({@code encode --fast}), decoded by its own network. RGB PSNR and MS-SSIM of each
 * against the source. Prints one CSV row per picture and setting, then the means per setting.
 *
 * <pre>
 * tools/run.sh io.vqcodec.tools.eval.FastSynthesisReport FOLDER SETTING...
 *   SETTING: q7 (a quality step) or b0.05 (a bits-per-pixel target)
 * </pre>
 */
public final class FastSynthesisReport {
  private FastSynthesisReport() {}

  public static void main(String[] args) throws IOException {
    List<Path> images;
    try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
      images = s.filter(Files::isRegularFile).sorted().toList();
    }
    System.out.println(
        "setting,picture,bytes,psnr_exact,psnr_fast,msssim_exact,msssim_fast,"
            + "bytes_fast_encode,psnr_fast_encode,msssim_fast_encode");
    StringBuilder means = new StringBuilder();
    ModelRegistry registry = ModelRegistry.builtIn();
    ModelPackage fastModel = registry.fasterSynthesis(registry.defaultTokenizer()).orElseThrow();
    try (ImageEncoder encoder = ImageEncoder.open();
        ImageEncoder fastEncoder = ImageEncoder.open(fastModel);
        ImageDecoder exact = ImageDecoder.open(ImageDecoder.Synthesis.EXACT);
        ImageDecoder fast = ImageDecoder.open(ImageDecoder.Synthesis.FAST)) {
      for (int a = 1; a < args.length; a++) {
        String setting = args[a];
        EncoderOptions options =
            setting.startsWith("q")
                ? EncoderOptions.defaults().withQuality(Integer.parseInt(setting.substring(1)))
                : EncoderOptions.defaults().withTargetBpp(Double.parseDouble(setting.substring(1)));
        int n = 0;
        double pe = 0, pf = 0, me = 0, mf = 0, bytes = 0, fb = 0, fp = 0, fm = 0;
        for (Path p : images) {
          BufferedImage img = ImageIO.read(p.toFile());
          if (img == null) continue;
          BufferedImage src = SourceImage.toRgb(img);
          EncodedPicture e = encoder.encode(src, options);
          BufferedImage de = exact.decode(new ByteArrayInputStream(e.bytes())).image();
          BufferedImage df = fast.decode(new ByteArrayInputStream(e.bytes())).image();
          EncodedPicture ef = fastEncoder.encode(src, options);
          BufferedImage dff = exact.decode(new ByteArrayInputStream(ef.bytes())).image();
          double[] m = {
            Pixels.psnr(src, de),
            Pixels.psnr(src, df),
            Metrics.msssim(src, de),
            Metrics.msssim(src, df),
            Pixels.psnr(src, dff),
            Metrics.msssim(src, dff)
          };
          System.out.printf(
              Locale.ROOT,
              "%s,%s,%d,%.4f,%.4f,%.5f,%.5f,%d,%.4f,%.5f%n",
              setting,
              p.getFileName(),
              e.bytes().length,
              m[0],
              m[1],
              m[2],
              m[3],
              ef.bytes().length,
              m[4],
              m[5]);
          n++;
          bytes += e.bytes().length;
          pe += m[0];
          pf += m[1];
          me += m[2];
          mf += m[3];
          fb += ef.bytes().length;
          fp += m[4];
          fm += m[5];
        }
        means.append(
            String.format(
                Locale.ROOT,
                "# %s: %d pictures, %.0f bytes on average; PSNR exact %.3f, fast %.3f (%+.3f dB);"
                    + " MS-SSIM exact %.5f, fast %.5f (%+.5f); encode --fast: %.0f bytes (%+.2f%%),"
                    + " PSNR %.3f (%+.3f dB), MS-SSIM %.5f (%+.5f)%n",
                setting,
                n,
                bytes / n,
                pe / n,
                pf / n,
                (pf - pe) / n,
                me / n,
                mf / n,
                (mf - me) / n,
                fb / n,
                100 * (fb - bytes) / bytes,
                fp / n,
                (fp - pe) / n,
                fm / n,
                (fm - me) / n));
      }
    }
    System.out.print(means);
  }
}
