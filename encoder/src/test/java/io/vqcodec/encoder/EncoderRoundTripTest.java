package io.vqcodec.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerReader;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.decoder.DecodeOptions;
import io.vqcodec.decoder.DecodedPicture;
import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.SliceReport;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Encoder to decoder through real streams of a real photo, with the released model. */
class EncoderRoundTripTest {
  static Tokenizer tokenizer;
  static ImageEncoder encoder;
  static ImageDecoder decoder;
  static BufferedImage chelsea;

  @BeforeAll
  static void load() throws IOException {
    tokenizer = Tokenizer.loadDefault();
    encoder = ImageEncoder.using(tokenizer);
    decoder = ImageDecoder.using(tokenizer);
    Path root = Paths.get(System.getProperty("vqcodec.root", ".."));
    chelsea = ImageIO.read(root.resolve("samples/chelsea.png").toFile());
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  /** Every granularity mode and slice layout decodes to exactly the tokens the encoder coded. */
  @ParameterizedTest
  @CsvSource({
    "4096, 0.0, 8",
    "4096, 1.0, 8",
    "4096, 0.4, 1",
    "1024, 0.5, 3",
    "16, 0.7, 100",
    "64, 0.2, 5"
  })
  void tokensSurviveTheStream(int k, double fraction, int sliceRows) throws IOException {
    SourcePicture source = SourcePicture.of(chelsea);
    LevelAnalysis level = new LevelAnalysis(tokenizer, source, k);
    int[] order = CellRanking.rank(GranularityStrategy.RATE_DISTORTION, level, source);
    int count = (int) Math.round(fraction * level.cells());
    TokenGrid expected = level.mix(CellRanking.firstCells(order, count));

    EncodedPicture coded =
        encoder.encode(
            chelsea, EncoderOptions.defaults().withCodebook(k, fraction).withSliceRows(sliceRows));
    DecodedTokens got =
        TokenDecoder.decode(new ByteArrayInputStream(coded.bytes()), LossSimulation.NONE, null);

    assertThat(coded.fineCells()).isEqualTo(count);
    assertThat(got.lostSlices()).isZero();
    assertThat(got.endCodeValid()).isTrue();
    assertThat(got.slices())
        .hasSize(SliceCoder.sliceRowCounts(expected.cellsHigh(), sliceRows).length);
    assertThat(got.header().grid().granularityMode())
        .isEqualTo(
            count == 0
                ? GranularityMode.ALL_COARSE
                : count == level.cells() ? GranularityMode.ALL_FINE : GranularityMode.MIXED);
    assertSameTokens(got.grid(), expected);
  }

  /** Reconstruction quality of the whole pipeline: floors well below what the model reaches. */
  @ParameterizedTest
  @CsvSource({"1, 19.0", "6, 23.0", "10, 24.5"})
  void qualityLadderDecodes(int quality, double psnrFloor) throws IOException {
    EncodedPicture coded = encoder.encode(chelsea, EncoderOptions.defaults().withQuality(quality));
    DecodedPicture back = decoder.decode(new ByteArrayInputStream(coded.bytes()));
    assertThat(back.image().getWidth()).isEqualTo(451);
    assertThat(back.image().getHeight()).isEqualTo(300);
    assertThat(back.tokens().header().resolutionShift())
        .isEqualTo(QualityLadder.resolutionShift(quality));
    assertThat(psnr(chelsea, back.image())).isGreaterThan(psnrFloor);
  }

  /**
   * Every step codes more than the one below it: more fine cells up to step 8, then a pixel
   * residual (Spec §6.9) of finer and finer step on half (step 9) or three quarters of the cells
   * fine (from step 10), without residual stages.
   */
  @Test
  void qualityLadderGrowsTheFile() throws Exception {
    int previous = 0;
    for (int q = QualityLadder.MIN; q <= QualityLadder.MAX; q++) {
      EncodedPicture coded = encoder.encode(chelsea, EncoderOptions.defaults().withQuality(q));
      int size = coded.bytes().length;
      assertThat(size).as("quality %d", q).isGreaterThan(previous);
      ContainerHeader h = ContainerReader.open(coded.bytes()).header();
      assertThat(h.hasPixelResidual()).as("quality %d", q).isEqualTo(q > 8);
      if (q != 8) assertThat(coded.stageTokens()).as("quality %d", q).isZero();
      if (q > 8) {
        double share = q == 9 ? 0.5 : 0.75;
        assertThat(coded.fineCells()).isEqualTo((int) Math.round(share * coded.cells()));
      }
      previous = size;
    }
  }

  /** Rate control lands at or under the target and within 5% of it (one cell is ~1% here). */
  @ParameterizedTest
  @CsvSource({"0.05", "0.1", "0.15"})
  void targetBppIsMet(double bpp) {
    EncodedPicture coded = encoder.encode(chelsea, EncoderOptions.defaults().withTargetBpp(bpp));
    assertThat(coded.targetMet()).isTrue();
    assertThat(coded.bpp()).isLessThanOrEqualTo(bpp).isGreaterThan(0.95 * bpp);
  }

  @Test
  void unreachableTargetGivesTheSmallestStream() {
    EncodedPicture coded = encoder.encode(chelsea, EncoderOptions.defaults().withTargetBytes(20));
    assertThat(coded.targetMet()).isFalse();
    assertThat(coded.fineCells()).isZero();
    assertThat(coded.codebookSize()).isEqualTo(16);
    assertThat(coded.resolutionShift()).isEqualTo(2); // quarter size: the fewest cells
  }

  /**
   * Spec §9.6.1: a low target is met at a reduced resolution, one that decodes about as close to
   * the input as the best of the three (measured through the decoder's own resampling).
   */
  @Test
  void lowTargetsCodeAtTheResolutionWithTheLeastError() throws IOException {
    double bpp = 0.02;
    EncodedPicture auto = encoder.encode(chelsea, EncoderOptions.defaults().withTargetBpp(bpp));
    assertThat(auto.targetMet()).isTrue();
    assertThat(auto.bpp()).isLessThanOrEqualTo(bpp).isGreaterThan(0.95 * bpp);
    double autoPsnr = psnr(chelsea, decoder.decode(new ByteArrayInputStream(auto.bytes())).image());
    for (int shift = 0; shift <= 2; shift++) {
      EncodedPicture fixed =
          encoder.encode(
              chelsea, EncoderOptions.defaults().withTargetBpp(bpp).withResolutionShift(shift));
      assertThat(fixed.resolutionShift()).isEqualTo(shift);
      DecodedPicture back = decoder.decode(new ByteArrayInputStream(fixed.bytes()));
      assertThat(back.image().getWidth()).isEqualTo(451);
      assertThat(back.image().getHeight()).isEqualTo(300);
      assertThat(back.tokens().header().resolutionShift()).isEqualTo(shift);
      assertThat(back.tokens().grid().width()).isEqualTo((451 + (1 << shift) - 1) >> shift);
      assertThat(back.tokens().grid().height()).isEqualTo((300 + (1 << shift) - 1) >> shift);
      if (fixed.targetMet()) {
        // The rate model takes the largest picture whose coarsest stream fits (chosen on the
        // validation images) instead of decoding every resolution: here within 0.1 dB of the best.
        assertThat(autoPsnr)
            .as("shift %d", shift)
            .isGreaterThanOrEqualTo(psnr(chelsea, back.image()) - 0.1);
      }
    }
    // At this rate the full-size picture has only a 16-entry codebook left: a smaller picture wins.
    assertThat(auto.resolutionShift()).isPositive();
    assertThat(autoPsnr).isGreaterThan(18.0);
  }

  /** Reduced resolution at odd and tiny sizes: the decoded picture still has the input's size. */
  @ParameterizedTest
  @CsvSource({"1, 1, 2", "3, 2, 1", "15, 17, 2", "33, 7, 1", "257, 31, 2"})
  void anySizeAtReducedResolution(int w, int h, int shift) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.getGraphics().drawImage(chelsea, 0, 0, null);
    EncodedPicture coded =
        encoder.encode(img, EncoderOptions.defaults().withResolutionShift(shift));
    DecodedPicture back = decoder.decode(new ByteArrayInputStream(coded.bytes()));
    assertThat(back.image().getWidth()).isEqualTo(w);
    assertThat(back.image().getHeight()).isEqualTo(h);
    assertThat(back.tokens().header().codedWidth()).isEqualTo((w + (1 << shift) - 1) >> shift);
  }

  @ParameterizedTest
  @EnumSource(GranularityStrategy.class)
  void everyStrategyCodesTheRequestedShare(GranularityStrategy s) throws IOException {
    EncodedPicture coded =
        encoder.encode(chelsea, EncoderOptions.defaults().withStrategy(s).withCodebook(4096, 0.3));
    DecodedTokens got =
        TokenDecoder.decode(new ByteArrayInputStream(coded.bytes()), LossSimulation.NONE, null);
    assertThat(got.grid().fineCellCount())
        .isEqualTo(coded.fineCells())
        .isEqualTo((int) Math.round(0.3 * coded.cells()));
  }

  /**
   * Above the rates where every cell's first stage pays, rate control buys residual stages (Spec
   * §6.8), and what the encoder reports is what the stream holds.
   */
  @ParameterizedTest
  @CsvSource({"0.1", "0.25", "0.5"})
  void rateTargetsReportTheFineCellsAndStagesTheStreamHolds(double bpp) throws IOException {
    EncodedPicture coded = encoder.encode(chelsea, EncoderOptions.defaults().withTargetBpp(bpp));
    DecodedTokens got =
        TokenDecoder.decode(new ByteArrayInputStream(coded.bytes()), LossSimulation.NONE, null);
    assertThat(coded.bpp()).isLessThanOrEqualTo(bpp).isGreaterThan(0.9 * bpp);
    assertThat(got.grid().fineCellCount()).isEqualTo(coded.fineCells());
    assertThat(got.grid().stageTokenCount()).isEqualTo(coded.stageTokens());
    if (bpp >= 0.25) assertThat(coded.stageTokens()).isPositive();
  }

  /** Odd, tiny, portrait sizes: the decoded picture has exactly the input's size. */
  @ParameterizedTest
  @CsvSource({"1, 1", "15, 17", "16, 16", "33, 7", "40, 130", "257, 31"})
  void anySize(int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.getGraphics().drawImage(chelsea, 0, 0, null);
    EncodedPicture coded = encoder.encode(img, EncoderOptions.defaults().withSliceRows(1));
    DecodedPicture back = decoder.decode(new ByteArrayInputStream(coded.bytes()));
    assertThat(back.image().getWidth()).isEqualTo(w);
    assertThat(back.image().getHeight()).isEqualTo(h);
  }

  @Test
  void grayStaysGray() throws IOException {
    BufferedImage gray = new BufferedImage(96, 64, BufferedImage.TYPE_BYTE_GRAY);
    gray.getGraphics().drawImage(chelsea, -100, -50, null);
    EncodedPicture coded = encoder.encode(gray, EncoderOptions.defaults());
    DecodedPicture back = decoder.decode(new ByteArrayInputStream(coded.bytes()));
    assertThat(back.tokens().header().picture().channelFormat()).isEqualTo(ChannelFormat.GRAY);
    assertThat(back.image().getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
  }

  @Test
  void transparencyIsRefusedButOpaqueAlphaIsFine() {
    BufferedImage argb = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
    argb.getGraphics().drawImage(chelsea, 0, 0, null); // fully opaque
    assertThat(encoder.encode(argb, EncoderOptions.defaults()).bytes()).isNotEmpty();
    argb.setRGB(5, 5, 0x10203040);
    assertThatThrownBy(() -> encoder.encode(argb, EncoderOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transparent pixels");
  }

  /** A damaged slice is lost alone; the rest decodes (Spec §5.5). */
  @Test
  void damagedSliceIsLostAlone() throws IOException {
    EncodedPicture coded = encoder.encode(chelsea, EncoderOptions.defaults().withSliceRows(4));
    byte[] damaged = coded.bytes().clone();
    DecodedTokens clean =
        TokenDecoder.decode(new ByteArrayInputStream(damaged), LossSimulation.NONE, null);
    int offsetOfSecond = clean.headerBytes() + clean.slices().get(0).payloadBytes();
    damaged[offsetOfSecond + 3] ^= 0x40;
    List<SliceReport> heard = new ArrayList<>();
    DecodedPicture back =
        decoder.decode(new ByteArrayInputStream(damaged), DecodeOptions.defaults(), heard::add);
    assertThat(heard)
        .extracting(SliceReport::outcome)
        .containsExactly(
            SliceReport.Outcome.DECODED,
            SliceReport.Outcome.DAMAGED,
            SliceReport.Outcome.DECODED,
            SliceReport.Outcome.DECODED,
            SliceReport.Outcome.DECODED);
    assertThat(back.tokens().lostTokens()).isPositive();
    assertThat(psnr(chelsea, back.image())).isGreaterThan(18.0);
  }

  @Test
  void truncatedStreamConcealsTheTail() throws IOException {
    byte[] full = encoder.encode(chelsea, EncoderOptions.defaults().withSliceRows(4)).bytes();
    byte[] cut = java.util.Arrays.copyOf(full, full.length * 2 / 3);
    DecodedPicture back = decoder.decode(new ByteArrayInputStream(cut));
    assertThat(back.tokens().slices())
        .extracting(SliceReport::outcome)
        .contains(SliceReport.Outcome.TRUNCATED);
    assertThat(back.tokens().slices().get(0).outcome()).isEqualTo(SliceReport.Outcome.DECODED);
  }

  /**
   * Spec §6.9: a pixel residual lifts the picture above what its tokens give, the finer its step
   * the more; the decoder adds exactly what the encoder coded (same tokens, so the same synthesis).
   */
  @Test
  void pixelResidualLiftsThePictureAndFinerStepsLiftItMore() throws IOException {
    EncoderOptions base = EncoderOptions.defaults().withQuality(8).withSliceRows(4);
    double last = 0;
    int lastSize = 0;
    for (double step : new double[] {0, 80, 20}) {
      EncodedPicture coded = encoder.encode(chelsea, base.withPixelResidual(step));
      DecodedPicture back = decoder.decode(new ByteArrayInputStream(coded.bytes()));
      assertThat(back.tokens().header().hasPixelResidual()).isEqualTo(step > 0);
      double p = psnr(chelsea, back.image());
      assertThat(p).as("step %s", step).isGreaterThan(last + (step == 0 ? 0 : 0.2));
      assertThat(coded.bytes().length).isGreaterThan(lastSize);
      last = p;
      lastSize = coded.bytes().length;
    }
    assertThat(last).isGreaterThan(30);
  }

  /**
   * Spec §6.9.5: a damaged slice loses its tokens and its residual, the other slices keep theirs;
   * gray pictures code one plane.
   */
  @Test
  void pixelResidualOfADamagedSliceIsLostAloneAndGrayWorks() throws IOException {
    EncodedPicture coded =
        encoder.encode(chelsea, EncoderOptions.defaults().withSliceRows(4).withPixelResidual(20));
    byte[] damaged = coded.bytes().clone();
    DecodedTokens clean =
        TokenDecoder.decode(new ByteArrayInputStream(damaged), LossSimulation.NONE, null);
    assertThat(clean.residualParts()).hasSize(clean.slices().size()).doesNotContainNull();
    int offsetOfSecond = clean.headerBytes() + clean.slices().get(0).payloadBytes();
    damaged[offsetOfSecond + 40] ^= 0x40;
    BufferedImage intact = decoder.decode(new ByteArrayInputStream(coded.bytes())).image();
    DecodedPicture back = decoder.decode(new ByteArrayInputStream(damaged));
    assertThat(back.tokens().slices().get(1).outcome()).isEqualTo(SliceReport.Outcome.DAMAGED);
    assertThat(back.tokens().residualParts().get(1)).isNull();
    // Slice 0 (pixel rows 0..63) keeps its residual: away from the lost rows, whose concealment
    // the network sees some pixels across, it decodes close to the intact stream. Slice 1 loses
    // tokens and residual.
    assertThat(psnrRows(intact, back.image(), 0, 48)).isGreaterThan(38);
    assertThat(psnrRows(chelsea, back.image(), 64, 128))
        .isLessThan(psnrRows(chelsea, intact, 64, 128) - 2);

    BufferedImage gray = new BufferedImage(96, 64, BufferedImage.TYPE_BYTE_GRAY);
    gray.getGraphics().drawImage(chelsea, -100, -50, null);
    EncodedPicture g = encoder.encode(gray, EncoderOptions.defaults().withPixelResidual(8));
    DecodedPicture gb = decoder.decode(new ByteArrayInputStream(g.bytes()));
    assertThat(gb.image().getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    int worst = 0;
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 96; x++) {
        int a = gray.getRaster().getSample(x, y, 0), b = gb.image().getRaster().getSample(x, y, 0);
        worst = Math.max(worst, Math.abs(a - b));
      }
    }
    assertThat(worst).isLessThanOrEqualTo(12);
  }

  private static double psnrRows(BufferedImage a, BufferedImage b, int y0, int y1) {
    double se = 0;
    int w = a.getWidth();
    for (int y = y0; y < y1; y++) {
      for (int x = 0; x < w; x++) {
        int p = a.getRGB(x, y), q = b.getRGB(x, y);
        for (int s = 0; s < 24; s += 8) {
          int d = ((p >> s) & 255) - ((q >> s) & 255);
          se += d * d;
        }
      }
    }
    return 10 * Math.log10(255.0 * 255 * 3 * w * (y1 - y0) / Math.max(se, 1e-9));
  }

  @Test
  void simulatedTokenLossIsReproducible() throws IOException {
    byte[] vqc = encoder.encode(chelsea, EncoderOptions.defaults()).bytes();
    LossSimulation loss = new LossSimulation(LossSimulation.Unit.TOKEN, 0.2, 7);
    DecodedTokens a = TokenDecoder.decode(new ByteArrayInputStream(vqc), loss, null);
    DecodedTokens b = TokenDecoder.decode(new ByteArrayInputStream(vqc), loss, null);
    assertThat(a.lostTokens()).isEqualTo((int) Math.round(0.2 * a.grid().tokenCount()));
    assertSameTokens(a.grid(), b.grid());
  }

  static void assertSameTokens(TokenGrid got, TokenGrid want) {
    assertThat(got.cellsWide()).isEqualTo(want.cellsWide());
    assertThat(got.cellsHigh()).isEqualTo(want.cellsHigh());
    for (int cy = 0; cy < want.cellsHigh(); cy++) {
      for (int cx = 0; cx < want.cellsWide(); cx++) {
        assertThat(got.isFine(cx, cy)).as("cell %d,%d", cx, cy).isEqualTo(want.isFine(cx, cy));
        if (want.isFine(cx, cy)) {
          for (int q = 0; q < 4; q++) {
            int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1);
            assertThat(got.fineToken(fx, fy)).isEqualTo(want.fineToken(fx, fy));
          }
        } else {
          assertThat(got.coarseToken(cx, cy)).isEqualTo(want.coarseToken(cx, cy));
        }
      }
    }
  }

  static double psnr(BufferedImage a, BufferedImage b) {
    double sse = 0;
    int w = a.getWidth(), h = a.getHeight();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = a.getRGB(x, y), q = b.getRGB(x, y);
        for (int s = 0; s <= 16; s += 8) {
          int d = ((p >> s) & 255) - ((q >> s) & 255);
          sse += d * d;
        }
      }
    }
    return 10 * Math.log10(255.0 * 255.0 / (sse / (3.0 * w * h)));
  }
}
