package io.vqcodec.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.SliceReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Decodes a real stream (samples/chelsea.png encoded by vqcodec encode at the default quality). */
class ImageDecoderTest {
  static Tokenizer tokenizer;
  static ImageDecoder decoder;
  static BufferedImage original;

  @BeforeAll
  static void load() throws IOException {
    // The committed stream names model 2 (tok-v1), which the default model does not decode.
    tokenizer = Tokenizer.open(ModelRegistry.builtIn().byName("tok-v1").orElseThrow());
    decoder = ImageDecoder.using(tokenizer);
    original =
        ImageIO.read(
            Paths.get(System.getProperty("vqcodec.root", ".."), "samples/chelsea.png").toFile());
  }

  @AfterAll
  static void close() {
    decoder.close(); // does not close a tokenizer it does not own
    tokenizer.close();
  }

  static InputStream stream() {
    return ImageDecoderTest.class.getResourceAsStream("chelsea-q6.vqc");
  }

  @Test
  void decodesTheCommittedStream() throws IOException {
    List<SliceReport> heard = new ArrayList<>();
    DecodedPicture p;
    try (InputStream in = stream()) {
      p = decoder.decode(in, DecodeOptions.defaults(), heard::add);
    }
    assertThat(p.image().getWidth()).isEqualTo(451);
    assertThat(p.image().getHeight()).isEqualTo(300);
    assertThat(heard).hasSize(3).allMatch(s -> !s.lost());
    assertThat(p.tokens().endCodeValid()).isTrue();
    assertThat(psnr(original, p.image())).isGreaterThan(22.0);
  }

  @Test
  void noConcealmentPaintsLostCellsGray() throws IOException {
    DecodedPicture p;
    try (InputStream in = stream()) {
      p =
          decoder.decode(
              in,
              DecodeOptions.defaults()
                  .withConcealment(Concealment.NONE)
                  .withLoss(new LossSimulation(LossSimulation.Unit.SLICE, 0.34, 1)),
              null);
    }
    List<SliceReport> lost = p.tokens().slices().stream().filter(SliceReport::lost).toList();
    assertThat(lost).hasSize(1);
    SliceReport s = lost.get(0);
    assertThat(s.outcome()).isEqualTo(SliceReport.Outcome.SIMULATED_LOSS);
    int y = 16 * s.firstRow() + 3;
    assertThat(p.image().getRGB(5, y) & 0xFFFFFF).isEqualTo(0x808080);
  }

  static double psnr(BufferedImage a, BufferedImage b) {
    double sse = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y), q = b.getRGB(x, y);
        for (int s = 0; s <= 16; s += 8) {
          int d = ((p >> s) & 255) - ((q >> s) & 255);
          sse += d * d;
        }
      }
    }
    return 10 * Math.log10(255.0 * 255.0 / (sse / (3.0 * a.getWidth() * a.getHeight())));
  }
}
