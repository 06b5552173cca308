package io.vqcodec.neural;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
  /** The released tok-v1 (step 13856) reaches 26.2 dB on this crop at K=4096 (24.1 dB at K=256). */
  static final double PSNR_FLOOR = 23.0;

  static Tokenizer tok;

  @BeforeAll
  static void load() throws IOException {
    tok = Tokenizer.loadDefault();
  }

  @AfterAll
  static void close() {
    tok.close();
  }

  static Path data() {
    return Paths.get(System.getProperty("vqcodec.root", "."), "..", "shared", "data");
  }

  static BufferedImage chelseaCrop() throws IOException {
    BufferedImage full = ImageIO.read(data().resolve("val/skimage/chelsea.png").toFile());
    BufferedImage crop = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    crop.getGraphics().drawImage(full.getSubimage(160, 80, 64, 48), 0, 0, null);
    return crop;
  }

  @Test
  void releasedModelIdentity() {
    assertThat(tok.modelId()).isEqualTo(5); // tok-v2 (Spec §4.4)
    assertThat(tok.codebookSizes()).containsExactly(4096, 1024, 256, 64, 16);
    assertThat(tok.weightsSha256()).hasSize(32);
    assertThat(tok.stageCount()).isEqualTo(3);
    assertThat(tok.stageCodebookSize()).isEqualTo(4096);
  }

  @Test
  void aPrefetchedTokenizerIsHandedOutOnceToItsModelAndWorks() throws IOException {
    BufferedImage crop = chelseaCrop();
    ModelRegistry registry = ModelRegistry.builtIn();
    ModelPackage other = registry.byName("tok-v1").orElseThrow();
    Tokenizer.prefetch(registry.defaultTokenizer());
    Tokenizer.prefetch(other); // a second call while one is held changes nothing
    try (Tokenizer first = Tokenizer.loadDefault();
        Tokenizer second = Tokenizer.loadDefault();
        Tokenizer v1 = Tokenizer.open(other)) {
      assertThat(first).isNotSameAs(second).isNotSameAs(tok);
      assertThat(first.modelId()).isEqualTo(tok.modelId());
      assertThat(first.weightsSha256()).isEqualTo(tok.weightsSha256());
      assertThat(v1.model()).isSameAs(other);
      TokenGrid grid = tok.encode(crop, 4096, null);
      assertThat(first.encode(crop, 4096, null)).isEqualTo(grid);
      assertThat(Pixels.psnr(crop, first.decode(grid)))
          .isEqualTo(Pixels.psnr(crop, tok.decode(grid)));
    }
    // A prefetch that no open takes is never handed to another model.
    Tokenizer.prefetch(other);
    try (Tokenizer t = Tokenizer.loadDefault()) {
      assertThat(t.model()).isSameAs(registry.defaultTokenizer());
    }
    try (Tokenizer t = Tokenizer.open(other)) {
      assertThat(t.model()).isSameAs(other);
    }
  }

  /**
   * Spec §6.8: each residual stage codes what the stages before it left, so the decoded picture
   * gets closer with every stage; a grid whose cells carry one stage decodes as a grid without
   * stages.
   */
  @Test
  void residualStagesRefineTheFineTokens() throws IOException {
    BufferedImage img = chelseaCrop();
    TokenGrid three = tok.encodeLevels(RgbRegion.of(img), new int[] {4096}, true).get(4096)[0];
    assertThat(three.stageCount()).isEqualTo(3);
    assertThat(three.stageTokenCount()).isEqualTo(2 * 4 * 12);
    double p1 = Pixels.psnr(img, tok.decode(three.withStageCount(1)));
    double p2 = Pixels.psnr(img, tok.decode(three.withStageCount(2)));
    double p3 = Pixels.psnr(img, tok.decode(three));
    assertThat(p2).isGreaterThan(p1 + 0.5);
    assertThat(p3).isGreaterThan(p2);
    TokenGrid plain = tok.encode(img, 4096, null);
    assertThat(three.withStageCount(1)).isEqualTo(plain);
    assertThat(Pixels.psnr(img, tok.decode(plain))).isEqualTo(p1);
    // Without stages requested, or at a smaller level, grids carry none.
    assertThat(plain.stageCount()).isEqualTo(1);
    assertThat(
            tok.encodeLevels(RgbRegion.of(img), new int[] {1024}, true).get(1024)[0].stageCount())
        .isEqualTo(1);
  }

  @Test
  void realImageRoundTripBeatsFloor() throws IOException {
    BufferedImage img = chelseaCrop();
    TokenGrid g = tok.encode(img, 4096, null);
    assertThat(g.width()).isEqualTo(64);
    assertThat(g.height()).isEqualTo(48);
    assertThat(g.cellsWide()).isEqualTo(4);
    assertThat(g.cellsHigh()).isEqualTo(3);
    assertThat(g.fineCellCount()).isEqualTo(12);
    BufferedImage rec = tok.decode(g);
    assertThat(Pixels.psnr(img, rec)).isGreaterThan(PSNR_FLOOR);
    // a coarser level still decodes to something close
    assertThat(Pixels.psnr(img, tok.decode(tok.encode(img, 256, null))))
        .isGreaterThan(PSNR_FLOOR - 3);
  }

  /**
   * A picture too large for one pass goes through the networks in bands or tiles with a halo as
   * wide as the networks' reach: the tokens are those of the whole picture and the pixels match it.
   */
  @Test
  void bandsAndTilesGiveTheWholePicturesTokensAndPixels() throws IOException {
    BufferedImage chelsea = ImageIO.read(data().resolve("val/skimage/chelsea.png").toFile());
    // 451x600 (29x38 cells): the photo above itself upside down
    BufferedImage img = new BufferedImage(451, 600, BufferedImage.TYPE_INT_RGB);
    img.getGraphics().drawImage(chelsea, 0, 0, null);
    img.getGraphics().drawImage(chelsea, 0, 600, 451, -300, null);
    TokenGrid[] whole = tok.encodeBoth(img, 4096);
    BufferedImage wholePixels = tok.decode(mix(whole, checkerboard(whole[0])));
    int cw = whole[0].cellsWide();
    TokenGrid[] banded;
    BufferedImage bandedPixels;
    try {
      // 42 full-width rows: both networks (halo 6) code bands of 30 + 8 rows
      tok.tilePixels(256L * cw * 42);
      banded = tok.encodeBoth(img, 4096);
      bandedPixels = tok.decode(mix(whole, checkerboard(whole[0])));
    } finally {
      tok.tilePixels(Tokenizer.BAND_PIXELS);
    }
    assertThat(agreement(banded[0], whole[0])).isGreaterThan(0.995);
    assertThat(agreement(banded[1], whole[1])).isGreaterThan(0.995);
    assertThat(bandedPixels.getHeight()).isEqualTo(600);
    assertThat(Pixels.psnr(wholePixels, bandedPixels)).isGreaterThan(50.0);
  }

  /**
   * At every picture size the format allows (Spec Annex A: 16384 pixels a side, 2^26 in all), with
   * the networks' halo: the tiles cover every cell once, in rows of tiles top to bottom and left to
   * right, each within the pixel budget, and the halo costs less than 1.5 times the kept cells
   * (1.466 at worst).
   */
  @Test
  void tilesCoverEveryCellOnceWithinTheBudgetAndABoundedHalo() {
    int[] sides = {1, 2, 17, 36, 64, 100, 252, 256, 400, 512, 700, 1000, 1024};
    // the released networks' halos: the encoder's reach and the decoder's DECODER_HALO, both 6
    for (int halo : new int[] {6}) {
      for (int cw : sides) {
        for (int ch : sides) {
          if (256L * cw * ch > 1L << 26) continue;
          List<Tokenizer.Tile> tiles = Tokenizer.Tile.split(cw, ch, halo, Tokenizer.BAND_PIXELS);
          int[] seen = new int[cw * ch];
          long computed = 0;
          int rowStart = -1;
          for (Tokenizer.Tile t : tiles) {
            long pixels = 256L * (t.cx1() - t.cx0()) * (t.cy1() - t.cy0());
            assertThat(pixels).isLessThanOrEqualTo(Tokenizer.BAND_PIXELS);
            computed += pixels / 256;
            if (t.x0() == 0) {
              assertThat(t.y0()).isGreaterThan(rowStart);
              rowStart = t.y0();
            } else {
              assertThat(t.y0()).isEqualTo(rowStart);
            }
            assertThat(t.cx0()).isEqualTo(Math.max(0, t.x0() - halo));
            assertThat(t.cy1()).isEqualTo(Math.min(ch, t.y1() + halo));
            for (int y = t.y0(); y < t.y1(); y++) {
              for (int x = t.x0(); x < t.x1(); x++) seen[y * cw + x]++;
            }
          }
          int once = 0;
          for (int n : seen) once += n == 1 ? 1 : 0;
          assertThat(once).as("%dx%d cells covered once", cw, ch).isEqualTo(cw * ch);
          assertThat((double) computed / (cw * ch)).as("%dx%d cells", cw, ch).isLessThan(1.5);
        }
      }
    }
  }

  /**
   * Square tiles side by side and in rows give the whole picture's tokens and pixels; the tile sink
   * gets exactly the pixels {@link Tokenizer#decode(TokenGrid)} assembles, each once.
   */
  @Test
  void tilesSideBySideGiveTheWholePicturesTokensAndPixels() throws IOException {
    BufferedImage img = ImageIO.read(data().resolve("val/skimage/chelsea.png").toFile());
    TokenGrid[] whole = tok.encodeBoth(img, 4096);
    TokenGrid grid = mix(whole, checkerboard(whole[0]));
    BufferedImage wholePixels = tok.decode(grid);
    int w = img.getWidth(), h = img.getHeight();
    TokenGrid[] tiled;
    BufferedImage tiledPixels;
    int[] sunk = new int[w * h];
    int[] count = new int[w * h];
    List<Integer> tileXs = new ArrayList<>();
    try {
      // Full-width bands would keep no row with a halo of 6: square tiles of at most 22 cells a
      // side, halo included, in two rows (10 + 9 kept rows) of two (15 + 14 kept columns)
      tok.tilePixels(256L * 19 * 27);
      tiled = tok.encodeBoth(img, 4096);
      tiledPixels = tok.decode(grid);
      tok.decode(
          grid,
          null,
          (x, y, tw, th, rgb) -> {
            tileXs.add(x);
            for (int j = 0; j < th; j++) {
              for (int i = 0; i < tw; i++) {
                sunk[(y + j) * w + x + i] = rgb[j * tw + i];
                count[(y + j) * w + x + i]++;
              }
            }
          });
    } finally {
      tok.tilePixels(Tokenizer.BAND_PIXELS);
    }
    assertThat(tileXs).containsExactly(0, 16 * 15, 0, 16 * 15);
    assertThat(agreement(tiled[0], whole[0])).isGreaterThan(0.995);
    assertThat(agreement(tiled[1], whole[1])).isGreaterThan(0.995);
    assertThat(Pixels.psnr(wholePixels, tiledPixels)).isGreaterThan(50.0);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        assertThat(count[y * w + x]).isEqualTo(1);
        assertThat(sunk[y * w + x]).isEqualTo(tiledPixels.getRGB(x, y) & 0xFFFFFF);
      }
    }
  }

  /** Code hints for lost tokens reach every band at the right rows. */
  @Test
  void bandsUseTheHintsOfTheirRows() throws IOException {
    BufferedImage img = ImageIO.read(data().resolve("val/skimage/chelsea.png").toFile());
    TokenGrid grid = mix(tok.encodeBoth(img, 4096), checkerboard(tok.encodeBoth(img, 4096)[0]));
    TokenGrid damaged = grid.copy();
    CodeHints hints = new CodeHints(grid.cellsWide(), grid.cellsHigh(), 16);
    float[] table = tok.codebookTable(4096);
    // Every 5th cell loses its tokens; its hints are exactly the lost tokens' codewords.
    for (int cy = 0; cy < grid.cellsHigh(); cy++) {
      for (int cx = 0; cx < grid.cellsWide(); cx++) {
        if ((cx + 3 * cy) % 5 != 0) continue;
        if (grid.isFine(cx, cy)) {
          for (int q = 0; q < 4; q++) {
            int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1), t = grid.fineToken(fx, fy);
            damaged.setFineToken(fx, fy, TokenGrid.LOST);
            hints.setFine(fx, fy, Arrays.copyOfRange(table, 16 * t, 16 * t + 16));
          }
        } else {
          int t = grid.coarseToken(cx, cy);
          damaged.setCoarseToken(cx, cy, TokenGrid.LOST);
          hints.setCoarse(cx, cy, Arrays.copyOfRange(table, 16 * t, 16 * t + 16));
        }
      }
    }
    BufferedImage clean = tok.decode(grid);
    BufferedImage banded;
    try {
      tok.tilePixels(256L * grid.cellsWide() * (2 + 2 * 9));
      banded = tok.decode(damaged, hints);
    } finally {
      tok.tilePixels(Tokenizer.BAND_PIXELS);
    }
    assertThat(Pixels.psnr(clean, banded)).isGreaterThan(50.0);
  }

  private static boolean[] checkerboard(TokenGrid g) {
    boolean[] cells = new boolean[g.cellsWide() * g.cellsHigh()];
    for (int i = 0; i < cells.length; i++)
      cells[i] = (i % g.cellsWide() + i / g.cellsWide()) % 2 == 0;
    return cells;
  }

  /** Fraction of equal tokens of two grids of one picture (fine and coarse tokens alike). */
  private static double agreement(TokenGrid a, TokenGrid b) {
    int same = 0, n = 0;
    for (int cy = 0; cy < a.cellsHigh(); cy++) {
      for (int cx = 0; cx < a.cellsWide(); cx++) {
        if (a.isFine(cx, cy)) {
          for (int q = 0; q < 4; q++) {
            int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1);
            same += a.fineToken(fx, fy) == b.fineToken(fx, fy) ? 1 : 0;
            n++;
          }
        } else {
          same += a.coarseToken(cx, cy) == b.coarseToken(cx, cy) ? 1 : 0;
          n++;
        }
      }
    }
    return (double) same / n;
  }

  @Test
  void encodeWithMaskEqualsComposedEncodeBoth() throws IOException {
    BufferedImage img = chelseaCrop();
    boolean[] cells = new boolean[12];
    Random r = new Random(3);
    for (int i = 0; i < cells.length; i++) cells[i] = r.nextBoolean();
    TokenGrid g = tok.encode(img, 1024, cells);
    assertThat(g).isEqualTo(mix(tok.encodeBoth(img, 1024), cells));
    assertThat(g.tokenCount()).isEqualTo(12 + 3 * g.fineCellCount());
  }

  @Test
  void oddSizesRoundTripShape() {
    for (int[] wh : new int[][] {{1, 1}, {17, 33}}) {
      BufferedImage img = new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_BYTE_GRAY);
      TokenGrid g = tok.encode(img, 64, null);
      assertThat(g.cellsWide()).isEqualTo((wh[0] + 15) / 16);
      assertThat(g.cellsHigh()).isEqualTo((wh[1] + 15) / 16);
      BufferedImage rec = tok.decode(g);
      assertThat(rec.getWidth()).isEqualTo(wh[0]);
      assertThat(rec.getHeight()).isEqualTo(wh[1]);
    }
  }

  /**
   * A hint is the code the decoder network gets: the lost token's own codeword restores it exactly.
   */
  @Test
  void lostTokensTakeTheirHints() throws IOException {
    BufferedImage img = chelseaCrop();
    TokenGrid clean =
        tok.encode(
            img,
            4096,
            new boolean[] {
              true, false, true, false, true, true, false, false, true, true, true, false
            });
    TokenGrid g = clean.copy();
    CodeHints hints = new CodeHints(4, 3, tok.meanCode(4096).length);
    float[] table = tok.codebookTable(4096);
    int d = hints.dim();
    g.setFineToken(0, 0, TokenGrid.LOST);
    hints.setFine(
        0,
        0,
        Arrays.copyOfRange(table, clean.fineToken(0, 0) * d, (clean.fineToken(0, 0) + 1) * d));
    g.setCoarseToken(1, 0, TokenGrid.LOST);
    hints.setCoarse(
        1,
        0,
        Arrays.copyOfRange(table, clean.coarseToken(1, 0) * d, (clean.coarseToken(1, 0) + 1) * d));
    BufferedImage expected = tok.decode(clean), actual = tok.decode(g, hints);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) assertThat(actual.getRGB(x, y)).isEqualTo(expected.getRGB(x, y));
    }
  }

  /**
   * Concealment is the decoder's (io.vqcodec.decoder.conceal): a lost token without a hint is an
   * error.
   */
  @Test
  void lostTokenWithoutHintIsRejected() {
    TokenGrid g = new TokenGrid(32, 16, 256);
    g.setFine(1, 0, true);
    g.setCoarseToken(0, 0, TokenGrid.LOST);
    assertThatThrownBy(() -> tok.decode(g))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("coarse token of cell (0, 0) is lost");
    g.setCoarseToken(0, 0, 5);
    g.setFineToken(3, 1, TokenGrid.LOST);
    CodeHints other = new CodeHints(2, 1, tok.meanCode(256).length);
    other.setFine(2, 1, tok.meanCode(256));
    assertThatThrownBy(() -> tok.decode(g, other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fine token (3, 1) is lost");
  }

  @Test
  void meanCodeIsAConvexMixOfTheCodewords() {
    float[] table = tok.codebookTable(16), mean = tok.meanCode(16);
    int d = mean.length;
    assertThat(table).hasSize(16 * d);
    for (int j = 0; j < d; j++) {
      float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
      for (int t = 0; t < 16; t++) {
        lo = Math.min(lo, table[t * d + j]);
        hi = Math.max(hi, table[t * d + j]);
      }
      assertThat(mean[j]).isBetween(lo - 1e-6f, hi + 1e-6f);
    }
    assertThatThrownBy(() -> tok.meanCode(100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownCodebookSizeIsRejected() throws IOException {
    assertThatThrownBy(() -> tok.encode(chelseaCrop(), 100, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A tiny model package with product stages (3 latent groups): random network, random codebooks of
   * {@code k} codes at every level and {@code stageK} per stage.
   */
  private static Path productModel(Path dir, TokNetConfig cfg, int k, int stageK)
      throws IOException {
    Random r = new Random(11);
    java.util.Map<String, TensorFile.Tensor> t = new java.util.LinkedHashMap<>();
    for (var e : TokNet.init(cfg, 3).entrySet()) {
      t.put(
          "net." + e.getKey(),
          new TensorFile.Tensor(TokNet.shapes(cfg).get(e.getKey()).getShape(), e.getValue()));
    }
    float[] book = new float[k * cfg.dim];
    for (int i = 0; i < book.length; i++) book[i] = (float) r.nextGaussian();
    t.put("codebook." + k, new TensorFile.Tensor(new long[] {k, cfg.dim}, book));
    for (int st = 2; st <= cfg.groups; st++) {
      float[] sb = new float[stageK * cfg.dim];
      for (int i = 0; i < sb.length; i++) sb[i] = (float) (0.1 * r.nextGaussian());
      t.put("stage." + st, new TensorFile.Tensor(new long[] {stageK, cfg.dim}, sb));
    }
    Path w = dir.resolve("weights.vqt");
    TensorFile.write(w, t);
    String sha =
        java.util.HexFormat.of()
            .formatHex(io.vqcodec.tokens.ModelPackage.sha256(Files.readAllBytes(w)));
    Files.writeString(
        dir.resolve("model.properties"),
        "model.id=999\nmodel.name=product-test\narch="
            + cfg
            + "\ncodebook.sizes="
            + k
            + "\nstages="
            + cfg.groups
            + "\nstage.codebook.size="
            + stageK
            + "\nweights.file=weights.vqt\nweights.sha256="
            + sha
            + "\n");
    return dir;
  }

  @Test
  void productStagesCodeTheirOwnGroupAndEachCodedStageReachesThePixels(@TempDir Path dir)
      throws IOException {
    TokNetConfig cfg = TokNetConfig.parse("4,8,8,8,1,1,1,1,1,1,3");
    int k = 64, stageK = 16;
    try (Tokenizer t =
        Tokenizer.open(ModelRegistry.loadFolder(productModel(dir, cfg, k, stageK)))) {
      assertThat(t.stageCount()).isEqualTo(3);
      BufferedImage img = chelseaCrop();
      TokenGrid fine = t.encodeLevels(RgbRegion.of(img), new int[] {k}, true).get(k)[0];
      // Stage s is the nearest code of latent group s, computed here from the network directly.
      try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
        java.util.Map<String, float[]> vals = new java.util.LinkedHashMap<>();
        var w = TensorFile.read(dir.resolve("weights.vqt"));
        for (String n : TokNet.shapes(cfg).keySet()) vals.put(n, w.get("net." + n).data());
        TokNet net = new TokNet(cfg, TokNet.toArrays(m, cfg, vals));
        ai.djl.ndarray.NDArray x =
            m.create(Pixels.toPlanar(img, 64, 48), new ai.djl.ndarray.types.Shape(1, 3, 48, 64));
        ai.djl.ndarray.NDArray z = net.encode(x)[0];
        for (int st = 2; st <= 3; st++) {
          Codebook sb = new Codebook(t.stageTable(st), cfg.dim);
          int[] want = sb.nearest(m, z.get(":, " + (st - 1) * 4 + ":" + st * 4));
          for (int fy = 0; fy < 6; fy++)
            for (int fx = 0; fx < 8; fx++)
              assertThat(fine.stageToken(st, fx, fy))
                  .as("stage %d at (%d, %d)", st, fx, fy)
                  .isEqualTo(want[fy * 8 + fx]);
        }
      }
      // Each coded stage changes the picture; a lost stage token counts as not coded.
      int[] one = argb(t.decode(withStages(fine, 1)));
      int[] two = argb(t.decode(withStages(fine, 2)));
      int[] three = argb(t.decode(fine));
      assertThat(two).isNotEqualTo(one);
      assertThat(three).isNotEqualTo(two);
      TokenGrid lost = fine.copy();
      for (int fy = 0; fy < 6; fy++)
        for (int fx = 0; fx < 8; fx++) lost.setStageToken(3, fx, fy, TokenGrid.LOST);
      assertThat(argb(t.decode(lost))).isEqualTo(two);
    }
  }

  private static int[] argb(BufferedImage b) {
    return b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
  }

  private static TokenGrid withStages(TokenGrid g, int n) {
    TokenGrid c = g.copy();
    for (int cy = 0; cy < c.cellsHigh(); cy++)
      for (int cx = 0; cx < c.cellsWide(); cx++) c.setCellStages(cx, cy, n);
    return c;
  }

  @Test
  void sha256MismatchIsAClearIOException(@TempDir Path dir) throws IOException {
    Properties p = new Properties();
    try (InputStream in = resource("model.properties")) {
      p.load(in);
    }
    try (InputStream in = resource(p.getProperty("weights.file"))) {
      Files.copy(in, dir.resolve(p.getProperty("weights.file")));
    }
    p.setProperty("weights.sha256", "00".repeat(32));
    try (var out = Files.newOutputStream(dir.resolve("model.properties"))) {
      p.store(out, null);
    }
    assertThatThrownBy(() -> Tokenizer.open(ModelRegistry.loadFolder(dir)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("SHA-256 mismatch");
  }

  private static InputStream resource(String name) {
    return Tokenizer.class.getClassLoader().getResourceAsStream("io/vqcodec/models/tok-v1/" + name);
  }

  private static TokenGrid mix(TokenGrid[] both, boolean[] cells) {
    return TokenGrid.mix(both[0], both[1], cells);
  }
}
