package io.vqcodec.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vqcodec.neural.TensorFile.Tensor;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Image to {@link TokenGrid} and back through a released tokenizer model (a {@link ModelPackage}
 * from the {@link ModelRegistry}, whose weights SHA-256 is checked at load).
 *
 * <p>Input images are 8-bit RGB or gray (gray is replicated to three channels; alpha is ignored),
 * edge-replicated to a multiple of 16 before the network; outputs are cropped back. Codebook levels
 * ({@link #codebookSizes()}) are nested: a level of size K maps every encoder output to the nearest
 * of its K centroids (derived from the full codebook by k-means), and token values index that
 * level's table.
 *
 * <p>{@link #decode} only synthesises: a {@link TokenGrid#LOST} token needs a code vector from
 * concealment ({@link CodeHints}); the codebook tables and each level's mean code are what
 * concealment works from.
 *
 * <p>Thread safety: all public methods are {@code synchronized}; one instance can be shared, but
 * calls run one at a time (use one instance per thread for parallelism). Every call runs in its own
 * NDManager sub-manager, so memory does not grow across calls.
 */
public final class Tokenizer implements AutoCloseable {
  private final NDManager manager;
  private final TokNet net;
  private final int modelId;
  private final byte[] sha256;
  private final int[] sizes;
  private final Map<Integer, Codebook> books = new LinkedHashMap<>();
  private final Map<Integer, float[]> meanCode = new LinkedHashMap<>();
  private final ModelPackage model;
  private final int encoderHalo;
  private final int decoderHalo;
  private long bandPixels = BAND_PIXELS;

  /**
   * Pictures above this many pixels go through the networks in horizontal bands of about this size
   * (halo included), so that the networks' memory is bounded whatever the picture size (the
   * inference network also keeps only a few activations alive at a time). Each band carries the
   * networks' full reach as halo ({@link TokNetConfig#encoderReach}, {@link
   * TokNetConfig#decoderReach}), so banded tokens and pixels are those of the whole picture up to
   * float rounding; at 4032 pixels wide a band keeps 46 of its 64 cell rows when decoding. Measured
   * whole-process peaks at 4032x2688: decode 1.03 GB, encode 1.35 GB (results/speed).
   */
  static final long BAND_PIXELS = 1L << 22;

  private Tokenizer(ModelPackage model) throws IOException {
    this.model = model;
    String arch = model.property("arch");
    String cbs = model.property("codebook.sizes");
    if (model.id() <= 0 || arch == null || cbs == null) {
      throw new IOException(
          model + " is not a tokenizer: model.properties lacks model.id, arch or codebook.sizes");
    }
    byte[] weights = model.weights(); // SHA-256 checked by the package
    this.sha256 = model.weightsSha256();
    try {
      this.modelId = Math.toIntExact(model.id());
      TokNetConfig cfg = TokNetConfig.parse(arch);
      this.sizes =
          Arrays.stream(cbs.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
      Map<String, Tensor> t = TensorFile.read(weights);
      Map<String, float[]> vals = new LinkedHashMap<>();
      for (String k : TokNet.shapes(cfg).keySet()) {
        Tensor x = t.get("net." + k);
        if (x == null) throw new IOException("weights lack net." + k);
        vals.put(k, x.data());
      }
      for (int k : sizes) {
        Tensor c = t.get("codebook." + k);
        if (c == null || c.data().length != k * cfg.dim)
          throw new IOException("weights lack codebook." + k);
        books.put(k, new Codebook(c.data(), cfg.dim));
        Tensor u = t.get("usage." + k);
        meanCode.put(k, weightedMean(c.data(), u == null ? null : u.data(), cfg.dim));
      }
      this.manager = NDManager.newBaseManager();
      this.net = TokNet.forInference(cfg, TokNet.toArrays(manager, cfg, vals));
      this.encoderHalo = cfg.encoderReach();
      this.decoderHalo = cfg.decoderReach();
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed model: " + e.getMessage(), e);
    }
  }

  /** The tokenizer of a model package (its weights are read and checked here). */
  public static Tokenizer open(ModelPackage model) throws IOException {
    return new Tokenizer(model);
  }

  /** The released default tokenizer ({@link ModelRegistry#defaultTokenizer()}). */
  public static Tokenizer loadDefault() throws IOException {
    return new Tokenizer(ModelRegistry.builtIn().defaultTokenizer());
  }

  /** The model package these weights come from. */
  public ModelPackage model() {
    return model;
  }

  /** Explicit registry id of the model (never reused). */
  public int modelId() {
    return modelId;
  }

  /** SHA-256 of the weights file, as checked at load. */
  public byte[] weightsSha256() {
    return sha256.clone();
  }

  /** Codebook levels, largest first, e.g. {4096, 1024, 256, 64, 16}. */
  public int[] codebookSizes() {
    return sizes.clone();
  }

  /**
   * A copy of the codebook at level {@code codebookSize}: {@code codebookSize * dim} floats, entry
   * {@code t} at {@code [t * dim, (t + 1) * dim)}.
   */
  public float[] codebookTable(int codebookSize) {
    return book(codebookSize).table().clone();
  }

  /**
   * The mean codeword of level {@code codebookSize}, each codeword weighted by its usage count in
   * the weights file (equal weights without one): {@code dim} floats, a copy. The least-squares
   * guess for a token about which nothing is known.
   */
  public float[] meanCode(int codebookSize) {
    book(codebookSize);
    return meanCode.get(codebookSize).clone();
  }

  /** A model.properties value (e.g. {@code model.name}, {@code train.step}), or null. */
  public String property(String key) {
    return model.property(key);
  }

  /**
   * Tokens of {@code image} at codebook level {@code codebookSize}; {@code fineCells[cy * cellsWide
   * + cx]} selects fine cells (null: all fine).
   */
  public synchronized TokenGrid encode(BufferedImage image, int codebookSize, boolean[] fineCells) {
    TokenGrid[] both = encodeBoth(image, codebookSize);
    TokenGrid g = both[0];
    if (fineCells != null && fineCells.length != g.cellsWide() * g.cellsHigh()) {
      throw new IllegalArgumentException(
          "fineCells has "
              + fineCells.length
              + " entries, grid has "
              + g.cellsWide() * g.cellsHigh()
              + " cells");
    }
    return fineCells == null ? g : TokenGrid.mix(g, both[1], fineCells);
  }

  /**
   * Both granularities at once: {@code [0]} is the all-fine grid, {@code [1]} the all-coarse grid.
   * The encoder does not depend on the mask, so the grid {@link #encode} returns for any mask takes
   * its fine cells from {@code [0]} and its coarse cells from {@code [1]}: rate-distortion choices
   * can encode once and mix.
   */
  public synchronized TokenGrid[] encodeBoth(BufferedImage image, int codebookSize) {
    return encodeLevels(image, new int[] {codebookSize}).get(codebookSize);
  }

  /**
   * {@link #encodeBoth} at several codebook levels, running the encoder network once: the map
   * holds, per requested size, {@code [all-fine grid, all-coarse grid]}.
   */
  public synchronized Map<Integer, TokenGrid[]> encodeLevels(
      BufferedImage image, int[] codebookSizes) {
    for (int k : codebookSizes) book(k); // validate before any work
    int w = image.getWidth(), h = image.getHeight();
    Map<Integer, TokenGrid[]> out = new LinkedHashMap<>();
    for (int k : codebookSizes) {
      TokenGrid fine = new TokenGrid(w, h, k), coarse = new TokenGrid(w, h, k);
      for (int cy = 0; cy < fine.cellsHigh(); cy++) {
        for (int cx = 0; cx < fine.cellsWide(); cx++) fine.setFine(cx, cy, true);
      }
      out.put(k, new TokenGrid[] {fine, coarse});
    }
    int cw = (w + 15) / 16, ch = (h + 15) / 16;
    for (Band b : Band.split(cw, ch, encoderHalo, bandPixels)) {
      // The band's rows of the picture plus the halo; only the last band reaches the bottom edge,
      // which is padded as the whole picture would be.
      BufferedImage part = image.getSubimage(0, 16 * b.c0, w, Math.min(h, 16 * b.c1) - 16 * b.c0);
      int pw = 16 * cw, ph = 16 * (b.c1 - b.c0);
      try (NDManager sub = manager.newSubManager()) {
        attach(sub);
        NDArray x = sub.create(Pixels.toPlanar(part, pw, ph), new Shape(1, 3, ph, pw));
        NDArray[] z = net.encode(x);
        x.close();
        for (int k : codebookSizes) {
          Codebook book = book(k);
          TokenGrid fine = out.get(k)[0], coarse = out.get(k)[1];
          int[] f = book.nearest(sub, z[0]), c = book.nearest(sub, z[1]);
          for (int cy = b.r0; cy < b.r1; cy++) {
            for (int cx = 0; cx < cw; cx++) {
              coarse.setCoarseToken(cx, cy, c[(cy - b.c0) * cw + cx]);
            }
          }
          for (int fy = 2 * b.r0; fy < 2 * b.r1; fy++) {
            for (int fx = 0; fx < 2 * cw; fx++) {
              fine.setFineToken(fx, fy, f[(fy - 2 * b.c0) * 2 * cw + fx]);
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * RGB pixels of {@code grid} ({@code grid.width()} x {@code grid.height()}), which has no {@link
   * TokenGrid#LOST} token.
   *
   * @throws IllegalArgumentException if a token is lost (conceal it first: {@link
   *     #decode(TokenGrid, CodeHints)}) or the grid's codebook size is not one of {@link
   *     #codebookSizes()}
   */
  public synchronized BufferedImage decode(TokenGrid grid) {
    return decode(grid, null);
  }

  /**
   * RGB pixels of {@code grid} ({@code grid.width()} x {@code grid.height()}), the code vector of
   * every {@link TokenGrid#LOST} token taken from {@code hints}. This only synthesises: choosing
   * code vectors for lost tokens (concealment) is the caller's work.
   *
   * @param hints a code vector for every lost token of {@code grid} (hints elsewhere are ignored);
   *     may be null when no token is lost
   * @throws IllegalArgumentException if a lost token has no hint, the hints do not fit the grid, or
   *     the grid's codebook size is not one of {@link #codebookSizes()}
   */
  public synchronized BufferedImage decode(TokenGrid grid, CodeHints hints) {
    Codebook book = book(grid.codebookSize());
    int d = book.dim();
    if (hints != null && !hints.fits(grid, d)) {
      throw new IllegalArgumentException(
          hints
              + " do not fit a grid of "
              + grid.cellsWide()
              + "x"
              + grid.cellsHigh()
              + " cells with codes of "
              + d);
    }
    List<Band> bands = Band.split(grid.cellsWide(), grid.cellsHigh(), decoderHalo, bandPixels);
    if (bands.size() == 1) return decodeWhole(grid, hints);
    int w = grid.width(), h = grid.height();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (Band b : bands) {
      BufferedImage img =
          decodeWhole(grid.band(b.c0, b.c1), hints == null ? null : hints.rows(b.c0, b.c1));
      for (int y = 16 * b.r0; y < Math.min(h, 16 * b.r1); y++) {
        img.getRGB(0, y - 16 * b.c0, w, 1, row, 0, w);
        out.setRGB(0, y, w, 1, row, 0, w);
      }
    }
    return out;
  }

  /** {@link #decode(TokenGrid, CodeHints)} in one piece, hints checked. */
  private BufferedImage decodeWhole(TokenGrid grid, CodeHints hints) {
    Codebook book = book(grid.codebookSize());
    int d = book.dim();
    float[] table = book.table();
    int cwid = grid.cellsWide(), chei = grid.cellsHigh(), fw = 2 * cwid, fh = 2 * chei;
    float[] qf = new float[d * fw * fh], qc = new float[d * cwid * chei];
    float[] m8 = new float[fw * fh], m16 = new float[cwid * chei];
    for (int cy = 0; cy < chei; cy++) {
      for (int cx = 0; cx < cwid; cx++) {
        if (grid.isFine(cx, cy)) {
          m16[cy * cwid + cx] = 1f;
          for (int k = 0; k < 4; k++) {
            int fx = 2 * cx + (k & 1), fy = 2 * cy + (k >> 1), p = fy * fw + fx;
            m8[p] = 1f;
            int t = grid.fineToken(fx, fy);
            if (t != TokenGrid.LOST) {
              for (int j = 0; j < d; j++) qf[j * fw * fh + p] = table[t * d + j];
            } else if (hints != null && hints.hasFine(p)) {
              for (int j = 0; j < d; j++) qf[j * fw * fh + p] = hints.fine(p, j);
            } else {
              throw new IllegalArgumentException(
                  "fine token ("
                      + fx
                      + ", "
                      + fy
                      + ") is lost and has no code hint: conceal lost tokens before decoding");
            }
          }
        } else {
          int t = grid.coarseToken(cx, cy), p = cy * cwid + cx;
          if (t != TokenGrid.LOST) {
            for (int j = 0; j < d; j++) qc[j * cwid * chei + p] = table[t * d + j];
          } else if (hints != null && hints.hasCoarse(p)) {
            for (int j = 0; j < d; j++) qc[j * cwid * chei + p] = hints.coarse(p, j);
          } else {
            throw new IllegalArgumentException(
                "coarse token of cell ("
                    + cx
                    + ", "
                    + cy
                    + ") is lost and has no code hint: conceal lost tokens before decoding");
          }
        }
      }
    }
    int pw = 16 * cwid, ph = 16 * chei;
    try (NDManager sub = manager.newSubManager()) {
      attach(sub);
      NDArray y =
          net.decode(
              sub.create(qf, new Shape(1, d, fh, fw)),
              sub.create(qc, new Shape(1, d, chei, cwid)),
              sub.create(m8, new Shape(1, 1, fh, fw)),
              sub.create(m16, new Shape(1, 1, chei, cwid)));
      return Pixels.toImage(y.toFloatArray(), pw, ph, grid.width(), grid.height());
    }
  }

  /**
   * Cell rows {@code [r0, r1)} of a picture that go through a network together with the halo rows
   * {@code [c0, r0)} and {@code [r1, c1)} above and below them, which are computed and dropped.
   */
  record Band(int r0, int r1, int c0, int c1) {
    /**
     * Horizontal bands of a grid of {@code cw} x {@code ch} cells, each with at most about {@code
     * maxPixels} pixels halo included (never fewer than one kept row), and {@code halo} rows of
     * context on each side where the picture has them. One band when the picture fits.
     */
    static List<Band> split(int cw, int ch, int halo, long maxPixels) {
      long rowPixels = 256L * cw;
      if (rowPixels * ch <= maxPixels) return List.of(new Band(0, ch, 0, ch));
      int kept = (int) Math.max(1, Math.min(ch, maxPixels / rowPixels - 2L * halo));
      List<Band> out = new ArrayList<>();
      for (int r0 = 0; r0 < ch; r0 += kept) {
        int r1 = Math.min(ch, r0 + kept);
        out.add(new Band(r0, r1, Math.max(0, r0 - halo), Math.min(ch, r1 + halo)));
      }
      return out;
    }
  }

  private Codebook book(int size) {
    Codebook b = books.get(size);
    if (b == null) {
      throw new IllegalArgumentException(
          "codebook size " + size + " not in " + Arrays.toString(sizes));
    }
    return b;
  }

  private void attach(NDManager sub) {
    for (NDArray p : net.params().values()) p.tempAttach(sub);
  }

  private static float[] weightedMean(float[] table, float[] usage, int d) {
    int k = table.length / d;
    double[] acc = new double[d];
    double tot = 0;
    for (int i = 0; i < k; i++) {
      double w = usage == null ? 1 : Math.max(0, usage[i]) + 1e-6;
      tot += w;
      for (int j = 0; j < d; j++) acc[j] += w * table[i * d + j];
    }
    float[] m = new float[d];
    for (int j = 0; j < d; j++) m[j] = (float) (acc[j] / tot);
    return m;
  }

  /** For tests: band size in pixels (halo included). */
  synchronized void bandPixels(long pixels) {
    this.bandPixels = pixels;
  }

  @Override
  public synchronized void close() {
    manager.close();
  }
}
