package io.vqcodec.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.neural.ImageScaling;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.TokenGrid;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The encoder's working set does not grow with the picture (issue 15 item 4, issue 19 defect 6):
 * the input is read in place or kept as one 8-bit copy, reduced pictures are views, and every
 * decode the analysis needs goes tile by tile into per-cell numbers. Each tiled path is checked
 * against the plain whole-picture computation it replaced.
 */
class BoundedMemoryTest {
  /** Pixels per network pass that split chelsea (29x19 cells) into tiles side by side. */
  static final long SMALL_TILES = 256L * 19 * 27;

  static Tokenizer tokenizer;
  static BufferedImage chelsea;

  @BeforeAll
  static void load() throws IOException {
    tokenizer = Tokenizer.loadDefault();
    Path root = Paths.get(System.getProperty("vqcodec.root", ".."));
    chelsea = ImageIO.read(root.resolve("samples/chelsea.png").toFile());
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  /** Per-cell errors measured tile by tile equal those of the whole decoded picture. */
  @ParameterizedTest
  @ValueSource(longs = {SMALL_TILES, 1L << 22})
  void cellErrorsTileByTileEqualThoseOfTheDecodedPicture(long tilePixels) {
    tokenizer.tilePixels(tilePixels);
    try {
      SourcePicture source = SourcePicture.of(chelsea);
      LevelAnalysis level = new LevelAnalysis(tokenizer, source, 1024);
      assertThat(level.sseFine()).containsExactly(reference(level.fineGrid, chelsea));
      assertThat(level.sseCoarse()).containsExactly(reference(level.coarseGrid, chelsea));
    } finally {
      tokenizer.tilePixels(Tokenizer.BAND_PIXELS);
    }
  }

  /**
   * A picture at the format's widest, 16384 pixels, coded through tiles side by side (a small
   * budget stands in for the default one at a taller picture): the stream carries exactly the
   * tokens of the analysis.
   */
  @Test
  void theWidestPictureCodesThroughTilesSideBySide() throws IOException {
    BufferedImage wide = new BufferedImage(16384, 16, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = wide.createGraphics();
    for (int x = 0; x < 16384; x += 451) g.drawImage(chelsea, x, -140, null);
    g.dispose();
    // one cell row: tiles of 128 kept cells (plus the halo) side by side
    tokenizer.tilePixels(256L * (128 + 2 * 9));
    try (ImageEncoder encoder = ImageEncoder.using(tokenizer)) {
      EncodedPicture coded = encoder.encode(wide, EncoderOptions.defaults().withQuality(8));
      SourcePicture source = SourcePicture.of(wide);
      LevelAnalysis level = new LevelAnalysis(tokenizer, source, 4096);
      int[] order =
          level.refinementOrder(
              CellRanking.rank(GranularityStrategy.RATE_DISTORTION, level, source), true);
      TokenGrid steps = level.refined(order, (int) Math.round(0.5 * level.cells()));
      TokenGrid expected = steps.withStageCount(steps.maxCellStages()); // as the stream says
      DecodedTokens got =
          TokenDecoder.decode(new ByteArrayInputStream(coded.bytes()), LossSimulation.NONE, null);
      assertThat(got.grid()).isEqualTo(expected);
    } finally {
      tokenizer.tilePixels(Tokenizer.BAND_PIXELS);
    }
  }

  /**
   * Every image type reads as drawing it onto TYPE_INT_RGB gives (what the encoder coded before it
   * kept a compact copy); 8-bit RGB is read in place, anything else costs one 3-byte copy.
   */
  @Test
  void sourcePicturesReadAsDrawingOntoIntRgbAndCopyOnlyWhatIsNotRgbBytes() {
    Random r = new Random(5);
    BufferedImage noise = new BufferedImage(37, 29, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 29; y++) {
      for (int x = 0; x < 37; x++) noise.setRGB(x, y, r.nextInt(1 << 24));
    }
    int[] copies = new int[] {0, 0, 0, 3, 1, 1, 3, 3};
    BufferedImage[] images = {
      noise,
      convert(noise, BufferedImage.TYPE_3BYTE_BGR),
      rgbInterleaved(noise),
      convert(noise, BufferedImage.TYPE_INT_BGR),
      convert(noise, BufferedImage.TYPE_BYTE_GRAY),
      convert(noise, BufferedImage.TYPE_USHORT_GRAY),
      convert(noise, BufferedImage.TYPE_BYTE_INDEXED),
      convert(noise, BufferedImage.TYPE_USHORT_565_RGB)
    };
    for (int i = 0; i < images.length; i++) {
      BufferedImage image = images[i];
      BufferedImage expected = convert(image, BufferedImage.TYPE_INT_RGB);
      SourcePicture source = SourcePicture.of(image);
      assertThat(source.copyBytesPerPixel).as("image %d", i).isEqualTo(copies[i]);
      int[] got = new int[37 * 29];
      source.read(0, 0, 37, 29, got);
      int[] part = new int[5 * 3];
      source.read(30, 25, 5, 3, part);
      for (int y = 0; y < 29; y++) {
        for (int x = 0; x < 37; x++) {
          assertThat(got[y * 37 + x] & 0xFFFFFF)
              .as("image %d at %d, %d", i, x, y)
              .isEqualTo(expected.getRGB(x, y) & 0xFFFFFF);
        }
      }
      assertThat(part[14] & 0xFFFFFF).isEqualTo(expected.getRGB(34, 27) & 0xFFFFFF);
      // Reduced pictures are computed from the input as ImageScaling.downscale does.
      BufferedImage half = ImageScaling.downscale(expected, 1);
      int[] reduced = new int[19 * 15];
      source.reduced(1).read(0, 0, 19, 15, reduced);
      for (int y = 0; y < 15; y++) {
        for (int x = 0; x < 19; x++) {
          assertThat(reduced[y * 19 + x] & 0xFFFFFF).isEqualTo(half.getRGB(x, y) & 0xFFFFFF);
        }
      }
    }
  }

  /** The per-cell errors as the encoder measured them before: the whole picture decoded. */
  private static double[] reference(TokenGrid grid, BufferedImage source) {
    BufferedImage decoded = tokenizer.decode(grid);
    int cw = grid.cellsWide(), w = source.getWidth();
    double[] sse = new double[cw * grid.cellsHigh()];
    for (int y = 0; y < source.getHeight(); y++) {
      for (int x = 0; x < w; x++) {
        int p = source.getRGB(x, y), q = decoded.getRGB(x, y);
        for (int s = 0; s <= 16; s += 8) {
          int d = ((p >> s) & 255) - ((q >> s) & 255);
          sse[(y / 16) * cw + x / 16] += d * d;
        }
      }
    }
    return sse;
  }

  private static BufferedImage convert(BufferedImage image, int type) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
    Graphics2D g = out.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return out;
  }

  /** 8-bit interleaved R, G, B (the band order PNG readers can give), not a predefined type. */
  private static BufferedImage rgbInterleaved(BufferedImage image) {
    int w = image.getWidth(), h = image.getHeight();
    WritableRaster raster =
        Raster.createInterleavedRaster(
            DataBuffer.TYPE_BYTE, w, h, 3 * w, 3, new int[] {0, 1, 2}, null);
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            java.awt.Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    BufferedImage out = new BufferedImage(cm, raster, false, null);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) out.setRGB(x, y, image.getRGB(x, y));
    }
    assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_CUSTOM);
    return out;
  }
}
