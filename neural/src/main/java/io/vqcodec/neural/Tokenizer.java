package io.vqcodec.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vqcodec.neural.TensorFile.Tensor;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
 * <p>Residual stages (Spec §9.6.2): a model whose properties say {@code stages=S} (S &gt; 1) has,
 * besides its nested levels, S - 1 stage codebooks (weights {@code stage.2}, {@code stage.3}) that
 * quantize what the fine tokens of its largest level leave: stage s codes {@code z - (c_1 + ... +
 * c_(s-1))}. {@link #encodeLevels} fills the largest level's fine grid with every stage, and {@link
 * #decode} feeds the network the sum of each fine token's coded stages.
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

  /**
   * Product stages (a network with latent groups, {@link TokNetConfig#groups}): stage s codes its
   * own group of the fine latent instead of what the earlier stages left.
   */
  private final boolean product;

  /** The codebooks of stages 2, 3, ... (index 0 is stage 2); empty without residual stages. */
  private final List<Codebook> stageBooks = new ArrayList<>();

  private final ModelPackage model;
  private final int encoderHalo;
  private final int decoderHalo;
  private long tilePixels = BAND_PIXELS;

  /**
   * Pictures above this many pixels go through the networks in tiles of about this size (halo
   * included), so that the networks' memory is bounded whatever the picture size (the inference
   * network also keeps only a few activations alive at a time): full-width horizontal bands, or in
   * wide pictures rows of narrower tiles ({@link Tile#split}). Each encoder tile carries the
   * encoder's full reach as halo on every side ({@link TokNetConfig#encoderReach}), so tiled tokens
   * are those of the whole picture up to float rounding; decoder tiles carry {@link #DECODER_HALO}.
   *
   * <p>Why 4 Mpixels: smaller tiles compute more halo but keep the activations nearer the caches,
   * and down to about 2 Mpixels the second wins; but below 32 MB glibc serves activations from its
   * heap, where they fragment it (bin/malloc-tunables.sh). Decoding a 4032x2688 picture in process
   * on 2 idle cores, three rounds each (the machine's noise is large): tiles of 4 Mpixels with the
   * decoder's full reach as halo 7.6, 7.8, 9.0 s; with a halo of 6, tiles of 4 Mpixels 7.2, 7.5,
   * 8.4 s, 2 Mpixels 5.6, 6.1, 7.2 s, 1 Mpixel 6.4, 6.5, 7.2 s; untiled 6.1 to 7.2 s. The whole
   * `vqcodec decode` of that picture: 4 Mpixels 10.7 to 11.4 s and 821 to 845 MB peak, 2 Mpixels
   * 9.4 to 10.7 s and 1.10 to 1.36 GB (over the 1 GB this bound is for).
   */
  public static final long BAND_PIXELS = 1L << 22;

  /**
   * Cell rows and columns of tokens that a decoder tile carries as halo on each side (at most the
   * decoder's reach, {@link TokNetConfig#decoderReach}). The full reach (9 cells for the released
   * architecture) makes tiled pixels those of the whole picture, but its outer cells move a pixel
   * by less than one level: with 6, a tiled decode differs from the untiled one by at most one
   * level, in 0.02% of the samples of a 4032x2688 picture in 4-Mpixel tiles (85.1 dB against the
   * untiled decode) and 1.3% of a 500x500 validation picture in tiles of 256x256 pixels (66.9 dB);
   * with 4, by up to 3 levels.
   */
  static final int DECODER_HALO = 6;

  private Tokenizer(ModelPackage model) throws IOException {
    startEngine(); // while the weights are read and converted
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
      int stageK = model.stageCodebookSize();
      for (int st = 2; st <= model.stageCount(); st++) {
        Tensor c = t.get("stage." + st);
        if (c == null || stageK <= 0 || c.data().length != stageK * cfg.dim)
          throw new IOException("weights lack stage." + st + " (" + stageK + " codes)");
        stageBooks.add(new Codebook(c.data(), cfg.dim));
      }
      if (cfg.groups > 1 && cfg.groups != stageCount()) {
        throw new IOException(
            "malformed model: "
                + cfg.groups
                + " latent groups need as many stages, the model has "
                + stageCount());
      }
      this.product = cfg.groups > 1;
      this.manager = Torch.newManager();
      this.net = TokNet.forInference(cfg, TokNet.toArrays(manager, cfg, vals));
      this.encoderHalo = cfg.encoderReach();
      this.decoderHalo = Math.min(cfg.decoderReach(), DECODER_HALO);
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed model: " + e.getMessage(), e);
    }
  }

  /**
   * Starts the PyTorch engine on a background thread, unless it is started or starting: a caller
   * that knows a network will run (a decoder or encoder being opened) calls this first, so that the
   * engine's native start (about half a second) overlaps with parsing, entropy decoding, reading
   * the input and the weights instead of preceding them. Opening a tokenizer does it too.
   */
  public static void startEngine() {
    Torch.startInBackground();
  }

  /**
   * The tokenizer of a model package (its weights are read and checked here), or the one {@link
   * #prefetch} prepared for it, once ready: the caller owns (and closes) what it gets.
   */
  public static Tokenizer open(ModelPackage model) throws IOException {
    CompletableFuture<Tokenizer> prefetched = null;
    synchronized (Tokenizer.class) {
      if (prefetch != null && prefetchModel == model) {
        prefetched = prefetch; // handed out once
        prefetch = null;
        prefetchModel = null;
      }
    }
    if (prefetched != null) {
      try {
        return prefetched.join();
      } catch (CompletionException e) {
        // Opened again below, so the caller gets this thread's own error, not a background one.
      }
    }
    return new Tokenizer(model);
  }

  /** The released default tokenizer ({@link ModelRegistry#defaultTokenizer()}). */
  public static Tokenizer loadDefault() throws IOException {
    return open(ModelRegistry.builtIn().defaultTokenizer());
  }

  /** The released default tokenizer of videos ({@link ModelRegistry#defaultVideoTokenizer()}). */
  public static Tokenizer loadDefaultVideo() throws IOException {
    return open(ModelRegistry.builtIn().defaultVideoTokenizer());
  }

  private static CompletableFuture<Tokenizer> prefetch;
  private static ModelPackage prefetchModel;

  /**
   * Starts opening the tokenizer of {@code model} on a background thread, for a one-picture process
   * that knows which network it will need before it needs it (the CLI, before it parses its command
   * line): the engine's start, reading and checking the weights and converting them then overlap
   * with everything the process does before its first network call instead of preceding it (issue
   * 15: the engine's start alone is about 0.65 s of a kodim23 decode). The next {@link #open} of
   * that model takes the result; if none does (an error, another model after all), it is never
   * used. At most one prefetch is held (a second call keeps the first); a failed one is retried by
   * {@link #open}.
   */
  public static synchronized void prefetch(ModelPackage model) {
    startEngine();
    if (prefetch != null) return;
    prefetchModel = model;
    prefetch =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new Tokenizer(model);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            r -> {
              Thread t = new Thread(r, "vqcodec-tokenizer-prefetch");
              t.setDaemon(true); // never keeps the JVM alive
              t.start();
            });
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
   * Stages a fine token of the largest level can carry (Spec §9.6.2), itself included: 1 for a
   * model without residual stages.
   */
  public int stageCount() {
    return 1 + stageBooks.size();
  }

  /** Entries of each stage codebook; 0 without residual stages. */
  public int stageCodebookSize() {
    return stageBooks.isEmpty() ? 0 : stageBooks.get(0).size();
  }

  /**
   * A copy of the codebook of stage {@code s} (2 .. {@link #stageCount()}), as {@link
   * #codebookTable}.
   */
  public float[] stageTable(int s) {
    if (s < 2 || s > stageCount())
      throw new IllegalArgumentException("stage " + s + " of a model with " + stageCount());
    return stageBooks.get(s - 2).table().clone();
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
    return encodeBoth(RgbRegion.of(image), codebookSize);
  }

  /** {@link #encodeBoth(BufferedImage, int)} of a picture read tile by tile. */
  public synchronized TokenGrid[] encodeBoth(RgbRegion image, int codebookSize) {
    return encodeLevels(image, new int[] {codebookSize}).get(codebookSize);
  }

  /**
   * {@link #encodeBoth} at several codebook levels, running the encoder network once: the map
   * holds, per requested size, {@code [all-fine grid, all-coarse grid]}, without residual stages.
   */
  public synchronized Map<Integer, TokenGrid[]> encodeLevels(
      BufferedImage image, int[] codebookSizes) {
    return encodeLevels(RgbRegion.of(image), codebookSizes);
  }

  /**
   * {@link #encodeLevels(BufferedImage, int[])} of a picture read tile by tile: only one tile's
   * pixels (about {@link #BAND_PIXELS}) are held at a time.
   */
  public synchronized Map<Integer, TokenGrid[]> encodeLevels(RgbRegion image, int[] codebookSizes) {
    return encodeLevels(image, codebookSizes, false);
  }

  /**
   * {@link #encodeLevels(RgbRegion, int[])}; with {@code stages}, at the largest level of a model
   * with residual stages (Spec §9.6.2) both grids have {@link #stageCount()} stages and the fine
   * one every cell's stage tokens, each cell set to carry all of them.
   */
  public synchronized Map<Integer, TokenGrid[]> encodeLevels(
      RgbRegion image, int[] codebookSizes, boolean stages) {
    for (int k : codebookSizes) book(k); // validate before any work
    int w = image.width(), h = image.height();
    Map<Integer, TokenGrid[]> out = new LinkedHashMap<>();
    int staged = stageBooks.isEmpty() || !stages ? 0 : sizes[0];
    for (int k : codebookSizes) {
      int st = k == staged ? stageCount() : 1, sk = k == staged ? stageCodebookSize() : 0;
      TokenGrid fine = new TokenGrid(w, h, k, st, sk), coarse = new TokenGrid(w, h, k, st, sk);
      for (int cy = 0; cy < fine.cellsHigh(); cy++) {
        for (int cx = 0; cx < fine.cellsWide(); cx++) {
          fine.setFine(cx, cy, true);
          fine.setCellStages(cx, cy, st);
        }
      }
      out.put(k, new TokenGrid[] {fine, coarse});
    }
    int cw = (w + 15) / 16, ch = (h + 15) / 16;
    for (Tile t : Tile.split(cw, ch, encoderHalo, tilePixels)) {
      // The tile's pixels plus the halo; only a tile at the right or bottom edge reaches it, and
      // is padded there as the whole picture would be.
      int x0 = 16 * t.cx0, y0 = 16 * t.cy0;
      int rw = Math.min(w, 16 * t.cx1) - x0, rh = Math.min(h, 16 * t.cy1) - y0;
      int tw = t.cx1 - t.cx0, pw = 16 * tw, ph = 16 * (t.cy1 - t.cy0);
      int[] part = new int[rw * rh];
      image.read(x0, y0, rw, rh, part);
      try (NDManager sub = manager.newSubManager()) {
        attach(sub);
        NDArray x = sub.create(Pixels.toPlanar(part, rw, rh, pw, ph), new Shape(1, 3, ph, pw));
        part = null;
        NDArray[] z = net.encode(x);
        x.close();
        int d = net.config().dim;
        NDArray z1 = product ? z[0].get(":, 0:" + d) : z[0];
        for (int k : codebookSizes) {
          Codebook book = book(k);
          TokenGrid fine = out.get(k)[0], coarse = out.get(k)[1];
          int[] f = book.nearest(sub, z1), c = book.nearest(sub, z[1]);
          for (int cy = t.y0; cy < t.y1; cy++) {
            for (int cx = t.x0; cx < t.x1; cx++) {
              coarse.setCoarseToken(cx, cy, c[(cy - t.cy0) * tw + cx - t.cx0]);
            }
          }
          for (int fy = 2 * t.y0; fy < 2 * t.y1; fy++) {
            for (int fx = 2 * t.x0; fx < 2 * t.x1; fx++) {
              fine.setFineToken(fx, fy, f[(fy - 2 * t.cy0) * 2 * tw + fx - 2 * t.cx0]);
            }
          }
          if (k == staged) {
            // Residual stages: each codes what the stages before it left. Product stages: each
            // codes its own latent group.
            int fh = 2 * (t.cy1 - t.cy0);
            NDArray r = product ? null : z[0].sub(book.lookup(sub, f, 1, fh, 2 * tw));
            for (int st = 2; st <= stageCount(); st++) {
              Codebook sb = stageBooks.get(st - 2);
              int[] c2 =
                  sb.nearest(sub, product ? z[0].get(":, " + (st - 1) * d + ":" + st * d) : r);
              if (!product && st < stageCount()) r = r.sub(sb.lookup(sub, c2, 1, fh, 2 * tw));
              for (int fy = 2 * t.y0; fy < 2 * t.y1; fy++) {
                for (int fx = 2 * t.x0; fx < 2 * t.x1; fx++) {
                  fine.setStageToken(st, fx, fy, c2[(fy - 2 * t.cy0) * 2 * tw + fx - 2 * t.cx0]);
                }
              }
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
    checkHints(grid, hints);
    List<Tile> tiles = Tile.split(grid.cellsWide(), grid.cellsHigh(), decoderHalo, tilePixels);
    if (tiles.size() == 1) {
      Tile t = tiles.get(0);
      int pw = 16 * grid.cellsWide(), ph = 16 * grid.cellsHigh();
      return Pixels.toImage(synthesize(grid, hints, t), pw, ph, grid.width(), grid.height());
    }
    int w = grid.width();
    BufferedImage out = new BufferedImage(w, grid.height(), BufferedImage.TYPE_INT_RGB);
    int[] data = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    decodeTiles(
        grid,
        hints,
        tiles,
        (x, y, tw, th, rgb) -> {
          for (int j = 0; j < th; j++) System.arraycopy(rgb, j * tw, data, (y + j) * w + x, tw);
        });
    return out;
  }

  /** Receives a decoded picture one tile at a time. */
  public interface TileSink {
    /**
     * The {@code w} x {@code h} pixels at ({@code x}, {@code y}), row-major {@code 0xRRGGBB} ints,
     * valid only during the call.
     */
    void accept(int x, int y, int w, int h, int[] rgb);
  }

  /**
   * {@link #decode(TokenGrid, CodeHints)} without a picture: the pixels go to {@code sink} tile by
   * tile, each tile once; tiles cover whole cells, rows of tiles come top to bottom and each row of
   * tiles left to right (a tile at {@code x == 0} starts a new row). Only one tile's pixels (about
   * {@link #BAND_PIXELS}) exist at a time; the pixels are those of {@link #decode}.
   */
  public synchronized void decode(TokenGrid grid, CodeHints hints, TileSink sink) {
    checkHints(grid, hints);
    decodeTiles(
        grid, hints, Tile.split(grid.cellsWide(), grid.cellsHigh(), decoderHalo, tilePixels), sink);
  }

  private void decodeTiles(TokenGrid grid, CodeHints hints, List<Tile> tiles, TileSink sink) {
    int w = grid.width(), h = grid.height();
    for (Tile t : tiles) {
      float[] planar = synthesize(grid, hints, t);
      int pw = 16 * (t.cx1 - t.cx0), plane = pw * 16 * (t.cy1 - t.cy0);
      int x0 = 16 * t.x0, y0 = 16 * t.y0;
      int tw = Math.min(w, 16 * t.x1) - x0, th = Math.min(h, 16 * t.y1) - y0;
      int[] rgb = new int[tw * th];
      for (int j = 0; j < th; j++) {
        for (int i = 0; i < tw; i++) {
          int o = (y0 + j - 16 * t.cy0) * pw + x0 + i - 16 * t.cx0;
          rgb[j * tw + i] =
              (Pixels.to8(planar[o]) << 16)
                  | (Pixels.to8(planar[plane + o]) << 8)
                  | Pixels.to8(planar[2 * plane + o]);
        }
      }
      planar = null;
      sink.accept(x0, y0, tw, th, rgb);
    }
  }

  private void checkHints(TokenGrid grid, CodeHints hints) {
    int d = book(grid.codebookSize()).dim();
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
  }

  /**
   * The decoder network's planar output (3, 16 * tile cell rows, 16 * tile cell columns) for the
   * cells of tile {@code t} with its halo, hints checked.
   */
  private float[] synthesize(TokenGrid grid, CodeHints hints, Tile t) {
    Codebook book = book(grid.codebookSize());
    int d = book.dim();
    float[] table = book.table();
    int cwid = t.cx1 - t.cx0, chei = t.cy1 - t.cy0, fw = 2 * cwid, fh = 2 * chei;
    int gfw = 2 * grid.cellsWide(), gcw = grid.cellsWide();
    int fineC = net.config().fineInput(), groups = net.config().groups;
    float[] qf = new float[fineC * fw * fh], qc = new float[d * cwid * chei];
    float[] m8 = new float[fw * fh], m16 = new float[cwid * chei];
    // Each stage's table, checked against the grid once, when a cell first uses the stage.
    float[][] stageTables = new float[grid.stageCount() - 1][];
    for (int cy = t.cy0; cy < t.cy1; cy++) {
      for (int cx = t.cx0; cx < t.cx1; cx++) {
        if (grid.isFine(cx, cy)) {
          m16[(cy - t.cy0) * cwid + cx - t.cx0] = 1f;
          for (int k = 0; k < 4; k++) {
            int fx = 2 * cx + (k & 1), fy = 2 * cy + (k >> 1);
            int p = (fy - 2 * t.cy0) * fw + fx - 2 * t.cx0, g = fy * gfw + fx;
            m8[p] = 1f;
            int tok = grid.fineToken(fx, fy);
            if (tok != TokenGrid.LOST) {
              for (int j = 0; j < d; j++) qf[j * fw * fh + p] = table[tok * d + j];
              // Spec §9.6.2: the sum of the coded stages (a lost stage token adds nothing); with
              // product stages each coded stage fills its group and marks it present.
              for (int st = 2; st <= grid.cellStages(cx, cy); st++) {
                int s2 = grid.stageToken(st, fx, fy);
                if (s2 == TokenGrid.LOST) continue;
                if (stageTables[st - 2] == null) stageTables[st - 2] = stageBook(grid, st).table();
                float[] stab = stageTables[st - 2];
                if (product) {
                  int off = (st - 1) * d;
                  for (int j = 0; j < d; j++) qf[(off + j) * fw * fh + p] = stab[s2 * d + j];
                  qf[(groups * d + st - 2) * fw * fh + p] = 1f;
                } else {
                  for (int j = 0; j < d; j++) qf[j * fw * fh + p] += stab[s2 * d + j];
                }
              }
            } else if (hints != null && hints.hasFine(g)) {
              for (int j = 0; j < d; j++) qf[j * fw * fh + p] = hints.fine(g, j);
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
          int tok = grid.coarseToken(cx, cy);
          int p = (cy - t.cy0) * cwid + cx - t.cx0, g = cy * gcw + cx;
          if (tok != TokenGrid.LOST) {
            for (int j = 0; j < d; j++) qc[j * cwid * chei + p] = table[tok * d + j];
          } else if (hints != null && hints.hasCoarse(g)) {
            for (int j = 0; j < d; j++) qc[j * cwid * chei + p] = hints.coarse(g, j);
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
    try (NDManager sub = manager.newSubManager()) {
      attach(sub);
      NDArray y =
          net.decode(
              sub.create(qf, new Shape(1, fineC, fh, fw)),
              sub.create(qc, new Shape(1, d, chei, cwid)),
              sub.create(m8, new Shape(1, 1, fh, fw)),
              sub.create(m16, new Shape(1, 1, chei, cwid)));
      return y.toFloatArray();
    }
  }

  /**
   * A rectangle of cells that goes through a network on its own: cells {@code [x0, x1) x [y0, y1)}
   * are kept, and the halo around them ({@code [cx0, cx1) x [cy0, cy1)}, where the picture has it)
   * is computed and dropped.
   */
  record Tile(int x0, int x1, int y0, int y1, int cx0, int cx1, int cy0, int cy1) {
    /**
     * Tiles of a grid of {@code cw} x {@code ch} cells, each with at most about {@code maxPixels}
     * pixels halo included (never fewer than one kept cell), and {@code halo} cells of context on
     * each side where the picture has them. One tile when the picture fits; full-width bands while
     * a band keeps at least four times the halo's rows; in wider pictures rows of square tiles, the
     * shape with the least halo for its pixels (a 16384-pixel-wide picture in full-width bands of 4
     * Mpixels would keep 4 of every 16 cell rows when decoding).
     */
    static List<Tile> split(int cw, int ch, int halo, long maxPixels) {
      long rowPixels = 256L * cw;
      if (rowPixels * ch <= maxPixels) return List.of(new Tile(0, cw, 0, ch, 0, cw, 0, ch));
      long bandRows = maxPixels / rowPixels - 2L * halo;
      int keptRows, keptCols;
      if (bandRows >= Math.max(1, 4L * halo)) {
        keptRows = (int) Math.min(ch, bandRows);
        keptCols = cw;
      } else {
        // Square tiles: the least halo for the pixels
        long side = (long) Math.sqrt(maxPixels / 256.0);
        keptRows = (int) Math.min(ch, Math.max(1, side - 2L * halo));
        long rows = Math.min(ch, keptRows + 2L * halo);
        keptCols = (int) Math.max(1, Math.min(cw, maxPixels / (256L * rows) - 2L * halo));
      }
      List<Tile> out = new ArrayList<>();
      for (int y0 = 0; y0 < ch; y0 += keptRows) {
        int y1 = Math.min(ch, y0 + keptRows);
        for (int x0 = 0; x0 < cw; x0 += keptCols) {
          int x1 = Math.min(cw, x0 + keptCols);
          out.add(
              new Tile(
                  x0,
                  x1,
                  y0,
                  y1,
                  Math.max(0, x0 - halo),
                  Math.min(cw, x1 + halo),
                  Math.max(0, y0 - halo),
                  Math.min(ch, y1 + halo)));
        }
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

  /** The codebook of stage {@code s} that a grid's stage tokens index, checked against it. */
  private Codebook stageBook(TokenGrid grid, int s) {
    if (s - 2 >= stageBooks.size() || stageBooks.get(s - 2).size() != grid.stageCodebookSize()) {
      throw new IllegalArgumentException(
          "the grid has stage "
              + s
              + " tokens of K = "
              + grid.stageCodebookSize()
              + "; this model has "
              + stageCount()
              + " stages of K = "
              + stageCodebookSize());
    }
    return stageBooks.get(s - 2);
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

  /**
   * The most pixels one pass of a network takes, halo included (default {@link #BAND_PIXELS}): with
   * the decoded tiles and the picture the encoder keeps, this bounds memory whatever the picture
   * size. Smaller tiles need less memory and more time (the halo is computed again for each tile);
   * tokens and pixels stay those of the whole picture up to float rounding.
   */
  public synchronized void tilePixels(long pixels) {
    if (pixels < 1) throw new IllegalArgumentException("tile pixels " + pixels);
    this.tilePixels = pixels;
  }

  @Override
  public synchronized void close() {
    manager.close();
  }
}
