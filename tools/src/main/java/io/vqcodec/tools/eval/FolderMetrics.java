package io.vqcodec.tools.eval;

import io.vqcodec.neural.Pixels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Scores what the CLI produced: for every original {@code NAME.png}, the coded file {@code
 * CODED/NAME.vqc} (its size gives the bpp) and the decoded {@code DECODED/NAME.png} (RGB PSNR and
 * MS-SSIM against the original). Prints one CSV line of means: {@code
 * label,images,bpp,psnr,msssim}. Used by {@code tools/kodak-cli.sh}.
 *
 * <p>Usage: {@code FolderMetrics LABEL ORIGINALS CODED DECODED}
 */
public final class FolderMetrics {
  private FolderMetrics() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: FolderMetrics LABEL ORIGINALS CODED DECODED");
      System.exit(2);
    }
    Path originals = Paths.get(args[1]), coded = Paths.get(args[2]), decoded = Paths.get(args[3]);
    List<Path> pngs;
    try (Stream<Path> s = Files.list(originals)) {
      pngs = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    double bpp = 0, psnr = 0, msssim = 0;
    for (Path png : pngs) {
      String name = png.getFileName().toString().replaceFirst("\\.png$", "");
      BufferedImage a = SourceImage.toRgb(ImageIO.read(png.toFile()));
      BufferedImage b = SourceImage.toRgb(ImageIO.read(decoded.resolve(name + ".png").toFile()));
      bpp +=
          8.0 * Files.size(coded.resolve(name + ".vqc")) / ((double) a.getWidth() * a.getHeight());
      psnr += Pixels.psnr(a, b);
      msssim += Metrics.msssim(a, b);
    }
    int n = pngs.size();
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "%s,%d,%.4f,%.3f,%.4f%n", args[0], n, bpp / n, psnr / n, msssim / n);
  }
}
