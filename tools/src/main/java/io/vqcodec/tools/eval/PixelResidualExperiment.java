package io.vqcodec.tools.eval;

import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.neural.Pixels;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.PixelResidual;
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
 * The pixel residual (Spec §6.9) measured before it is in the stream: per picture of a folder and
 * per {@code --quality} step, the tokens' file, then for each luma step the residual parts that
 * {@link PixelResidual#encode} writes for slices of 1024 cells' pixel rows, decoded again with
 * {@link PixelResidual#decode} (so the PSNR is the decoder's). Mean bpp (file plus residual), PSNR
 * and MS-SSIM per setting. Choose settings on the validation images, never on Kodak.
 *
 * <pre>
 * tools/run.sh io.vqcodec.tools.eval.PixelResidualExperiment ../shared/data/val 7,10 \
 *   160,112,80,56,40 2.0 0.18
 * </pre>
 *
 * Arguments: folder, quality steps, luma steps (in pixel units of the orthonormal DCT), the chroma
 * step as a multiple of the luma step, the dead zone.
 */
public final class PixelResidualExperiment {
  private PixelResidualExperiment() {}

  private static EncoderOptions base(String b) {
    return b.startsWith("r")
        ? EncoderOptions.defaults().withRefinement(Double.parseDouble(b.substring(1)))
        : EncoderOptions.defaults().withQuality(Integer.parseInt(b));
  }

  public static void main(String[] args) throws IOException {
    Path folder = Path.of(args[0]);
    // A quality step, or rR: explicit refinement R at full size and K = 4096 (fine cells only up
    // to 1; EncoderOptions.withRefinement), the tokens without the step's own residual.
    String[] bases = args[1].split(",");
    double[] steps = Stream.of(args[2].split(",")).mapToDouble(Double::parseDouble).toArray();
    double chroma = Double.parseDouble(args[3]), deadZone = Double.parseDouble(args[4]);
    List<Path> files;
    try (Stream<Path> s = Files.walk(folder)) {
      files = s.filter(p -> p.toString().matches("(?i).*\\.(png|tif|tiff|jpg)$")).sorted().toList();
    }
    double[][] bpp = new double[bases.length][steps.length + 1];
    double[][] psnr = new double[bases.length][steps.length + 1];
    double[][] msssim = new double[bases.length][steps.length + 1];
    try (Tokenizer t = Tokenizer.loadDefault()) {
      ImageEncoder encoder = ImageEncoder.using(t);
      ImageDecoder decoder = ImageDecoder.using(t);
      for (Path f : files) {
        BufferedImage src = SourceImage.toRgb(ImageIO.read(f.toFile()));
        int w = src.getWidth(), h = src.getHeight();
        double px = (double) w * h;
        for (int qi = 0; qi < bases.length; qi++) {
          EncodedPicture e = encoder.encode(src, base(bases[qi]));
          BufferedImage syn =
              SourceImage.toRgb(decoder.decode(new ByteArrayInputStream(e.bytes())).image());
          bpp[qi][0] += e.bytes().length * 8 / px;
          psnr[qi][0] += Pixels.psnr(src, syn);
          msssim[qi][0] += Metrics.msssim(src, syn);
          int bandRows = 16 * Math.max(8, (1024 + (w + 15) / 16 - 1) / ((w + 15) / 16));
          for (int si = 0; si < steps.length; si++) {
            PixelResidual.Steps st =
                new PixelResidual.Steps(
                    (int) Math.round(4 * steps[si]), (int) Math.round(4 * steps[si] * chroma));
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            long bytes = 0;
            for (int y0 = 0; y0 < h; y0 += bandRows) {
              int y1 = Math.min(h, y0 + bandRows);
              byte[] part =
                  PixelResidual.encode(
                      st,
                      deadZone,
                      false,
                      w,
                      y0,
                      y1,
                      (y, row) -> src.getRGB(0, y, w, 1, row, 0, w),
                      (y, row) -> syn.getRGB(0, y, w, 1, row, 0, w));
              bytes += part.length;
              try {
                PixelResidual.decode(
                    part,
                    0,
                    part.length,
                    st,
                    false,
                    w,
                    y0,
                    y1,
                    (y, row) -> syn.getRGB(0, y, w, 1, row, 0, w),
                    (y, row) -> out.setRGB(0, y, w, 1, row, 0, w));
              } catch (io.vqcodec.entropy.EntropyDecodingException ex) {
                throw new IOException(f + ": the residual does not decode", ex);
              }
            }
            bpp[qi][si + 1] += (e.bytes().length + bytes) * 8 / px;
            psnr[qi][si + 1] += Pixels.psnr(src, out);
            msssim[qi][si + 1] += Metrics.msssim(src, out);
          }
        }
        System.err.print(".");
      }
    }
    int n = files.size();
    System.out.printf(
        Locale.ROOT,
        "%n%d pictures of %s, chroma step x%.2f, dead zone %.2f%n| base | luma step | bpp | PSNR | MS-SSIM |%n|---:|---:|---:|---:|---:|%n",
        n,
        folder,
        chroma,
        deadZone);
    for (int qi = 0; qi < bases.length; qi++) {
      for (int si = 0; si <= steps.length; si++) {
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %.4f | %.2f | %.4f |%n",
            bases[qi],
            si == 0 ? "none" : String.format(Locale.ROOT, "%.0f", steps[si - 1]),
            bpp[qi][si] / n,
            psnr[qi][si] / n,
            msssim[qi][si] / n);
      }
    }
  }
}
