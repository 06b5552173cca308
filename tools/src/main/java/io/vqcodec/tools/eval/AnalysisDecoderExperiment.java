package io.vqcodec.tools.eval;

import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Experiment (issue 15, encode speed): the picture encoder's rate-distortion analysis (two decodes
 * per level) with tok-v2f's decoder network, which reads tok-v2's tokens, instead of tok-v2's own.
 * The streams name tok-v2 either way and are decoded by tok-v2. Usage: {@code
 * AnalysisDecoderExperiment DIR QUALITY...}; prints per image and quality the bytes, RGB PSNR and
 * encode time (warm, in process) of both.
 */
public final class AnalysisDecoderExperiment {
  private AnalysisDecoderExperiment() {}

  public static void main(String[] args) throws IOException {
    Path dir = Paths.get(args[0]);
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    ModelRegistry reg = ModelRegistry.builtIn();
    ModelPackage v2 = reg.byName("tok-v2").orElseThrow();
    ModelPackage v2f = reg.byName("tok-v2f").orElseThrow();
    try (Tokenizer own = Tokenizer.open(v2);
        Tokenizer fast = Tokenizer.open(v2f);
        ImageEncoder a = ImageEncoder.using(own);
        ImageEncoder b = ImageEncoder.using(fast, v2);
        ImageDecoder dec = ImageDecoder.using(own)) {
      System.out.println("image,quality,bytes_own,psnr_own,ms_own,bytes_fast,psnr_fast,ms_fast");
      for (Path f : files) {
        BufferedImage img = ImageIO.read(f.toFile());
        if (img == null) continue;
        for (int i = 1; i < args.length; i++) {
          EncoderOptions o =
              args[i].startsWith("b")
                  ? EncoderOptions.defaults()
                      .withTargetBpp(Double.parseDouble(args[i].substring(1)))
                  : EncoderOptions.defaults().withQuality(Integer.parseInt(args[i]));
          StringBuilder line = new StringBuilder(f.getFileName() + "," + args[i]);
          for (ImageEncoder e : new ImageEncoder[] {a, b}) {
            long t0 = System.nanoTime();
            EncodedPicture p = e.encode(img, o);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            BufferedImage out = dec.decode(new ByteArrayInputStream(p.bytes())).image();
            line.append(
                String.format(Locale.ROOT, ",%d,%.4f,%d", p.bytes().length, psnr(img, out), ms));
          }
          System.out.println(line);
        }
      }
    }
  }

  static double psnr(BufferedImage a, BufferedImage b) {
    double se = 0;
    long n = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y), q = b.getRGB(x, y);
        for (int s = 0; s < 24; s += 8) {
          int d = ((p >> s) & 255) - ((q >> s) & 255);
          se += d * d;
          n++;
        }
      }
    }
    return 10 * Math.log10(255.0 * 255 * n / se);
  }
}
