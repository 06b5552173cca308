package io.vqcodec.tools.prior;

import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.TokenGrid;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A token corpus: the token grids of a folder of images at every codebook level, both
 * granularities, in one compact file, for fitting and measuring token models (context priors,
 * masked-token transformers) without running the tokenizer again.
 *
 * <p>Build: {@code TokenCorpus --images DIR --out FILE.tok [--max-side 1024] [--every 1] [--limit
 * N] [--levels 4096,1024,256,64,16]}. Every image under DIR ({@code png, jpg, jpeg, tif, tiff,
 * bmp}, sorted by path, recursively; every {@code every}-th file, at most {@code limit}) is
 * tokenized with {@link Tokenizer#loadDefault()} through {@link Tokenizer#encodeLevels} (equal to
 * {@link Tokenizer#encodeBoth} at each level, with one network run). An image whose long side
 * exceeds {@code max-side} pixels is first <b>down-scaled</b> (area averaging) so that its long
 * side is {@code max-side}; the entry's width and height are those of the scaled image. Images that
 * ImageIO cannot read are skipped with a message.
 *
 * <p>File format (all integers big-endian):
 *
 * <pre>
 * magic "VQTC"  u32 version (1)
 * entry*  until end of file:
 *   u16 nameLength, nameLength bytes UTF-8 (the path relative to DIR, '/' separated)
 *   u32 width, u32 height, u8 levelCount
 *   per level: u32 K,
 *              u16 fine token x (2*cellsWide*2*cellsHigh, raster order of the fine grid),
 *              u16 coarse token x (cellsWide*cellsHigh, raster order of the cell grid)
 * </pre>
 *
 * <p>Reading: {@link #read(Path)}. Tokenization is deterministic for a given model and input.
 */
public final class TokenCorpus {
  static final int MAGIC = 0x56515443; // "VQTC"
  static final int VERSION = 1;

  private TokenCorpus() {}

  /** One image's tokens at every level it was tokenized at. */
  public static final class Entry {
    private final String name;
    private final int width;
    private final int height;
    private final int[] sizes;
    private final TokenGrid[] fine;
    private final TokenGrid[] coarse;

    public Entry(
        String name,
        int width,
        int height,
        int[] codebookSizes,
        TokenGrid[] fine,
        TokenGrid[] coarse) {
      if (codebookSizes.length != fine.length || fine.length != coarse.length) {
        throw new IllegalArgumentException("one fine and one coarse grid per level");
      }
      this.name = name;
      this.width = width;
      this.height = height;
      this.sizes = codebookSizes.clone();
      this.fine = fine.clone();
      this.coarse = coarse.clone();
    }

    /** Path of the image relative to the corpus folder. */
    public String name() {
      return name;
    }

    /** Width of the tokenized image (after any down-scaling). */
    public int width() {
      return width;
    }

    public int height() {
      return height;
    }

    /**
     * Codebook levels present, in file order (largest first for files written by {@link #main}).
     */
    public int[] codebookSizes() {
      return sizes.clone();
    }

    /** The all-fine grid at level K (a fresh copy is not made: do not modify). */
    public TokenGrid fine(int codebookSize) {
      return fine[level(codebookSize)];
    }

    /** The all-coarse grid at level K (do not modify). */
    public TokenGrid coarse(int codebookSize) {
      return coarse[level(codebookSize)];
    }

    private int level(int k) {
      for (int i = 0; i < sizes.length; i++) {
        if (sizes[i] == k) return i;
      }
      throw new IllegalArgumentException(
          "level " + k + " not in " + Arrays.toString(sizes) + " for " + name);
    }
  }

  /** All entries of a corpus file, in file order. */
  public static List<Entry> read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    }
  }

  /** All entries of a corpus stream; sizes are validated before allocating. */
  public static List<Entry> read(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
    if (in.readInt() != MAGIC) throw new IOException("not a token corpus (magic)");
    int version = in.readInt();
    if (version != VERSION)
      throw new IOException("token corpus version " + version + " unsupported");
    List<Entry> out = new ArrayList<>();
    while (true) {
      int nameLen;
      try {
        nameLen = in.readUnsignedShort();
      } catch (EOFException e) {
        return out;
      }
      byte[] nb = new byte[nameLen];
      in.readFully(nb);
      String name = new String(nb, StandardCharsets.UTF_8);
      int w = in.readInt(), h = in.readInt(), levels = in.readUnsignedByte();
      if (w <= 0 || h <= 0 || w > 16384 || h > 16384 || levels == 0 || levels > 16) {
        throw new IOException(
            "bad entry header for " + name + ": " + w + "x" + h + ", " + levels + " levels");
      }
      int[] ks = new int[levels];
      TokenGrid[] fine = new TokenGrid[levels], coarse = new TokenGrid[levels];
      for (int l = 0; l < levels; l++) {
        int k = in.readInt();
        if (k <= 0 || k > 65536) throw new IOException("bad codebook size " + k + " in " + name);
        ks[l] = k;
        TokenGrid f = new TokenGrid(w, h, k), c = new TokenGrid(w, h, k);
        for (int cy = 0; cy < f.cellsHigh(); cy++) {
          for (int cx = 0; cx < f.cellsWide(); cx++) f.setFine(cx, cy, true);
        }
        for (int fy = 0; fy < f.fineHigh(); fy++) {
          for (int fx = 0; fx < f.fineWide(); fx++) f.setFineToken(fx, fy, token(in, k, name));
        }
        for (int cy = 0; cy < c.cellsHigh(); cy++) {
          for (int cx = 0; cx < c.cellsWide(); cx++) c.setCoarseToken(cx, cy, token(in, k, name));
        }
        fine[l] = f;
        coarse[l] = c;
      }
      out.add(new Entry(name, w, h, ks, fine, coarse));
    }
  }

  private static int token(DataInputStream in, int k, String name) throws IOException {
    int t = in.readUnsignedShort();
    if (t >= k) throw new IOException("token " + t + " >= K = " + k + " in " + name);
    return t;
  }

  /** Writes the file header. */
  static void writeHeader(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
  }

  /** Writes one entry. */
  static void writeEntry(DataOutputStream out, Entry e) throws IOException {
    byte[] nb = e.name().getBytes(StandardCharsets.UTF_8);
    out.writeShort(nb.length);
    out.write(nb);
    out.writeInt(e.width());
    out.writeInt(e.height());
    int[] ks = e.codebookSizes();
    out.writeByte(ks.length);
    for (int k : ks) {
      out.writeInt(k);
      TokenGrid f = e.fine(k), c = e.coarse(k);
      for (int fy = 0; fy < f.fineHigh(); fy++) {
        for (int fx = 0; fx < f.fineWide(); fx++) out.writeShort(f.fineToken(fx, fy));
      }
      for (int cy = 0; cy < c.cellsHigh(); cy++) {
        for (int cx = 0; cx < c.cellsWide(); cx++) out.writeShort(c.coarseToken(cx, cy));
      }
    }
  }

  /** Writes a whole corpus. */
  public static void write(Path file, List<Entry> entries) throws IOException {
    try (OutputStream os = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
      writeHeader(out);
      for (Entry e : entries) writeEntry(out, e);
    }
  }

  /** Scales {@code img} down (area averaging) so its long side is at most {@code maxSide}. */
  static BufferedImage fit(BufferedImage img, int maxSide) {
    int w = img.getWidth(), h = img.getHeight(), longSide = Math.max(w, h);
    if (longSide <= maxSide) return img;
    int nw = Math.max(1, (int) Math.round((double) w * maxSide / longSide));
    int nh = Math.max(1, (int) Math.round((double) h * maxSide / longSide));
    Image s = img.getScaledInstance(nw, nh, Image.SCALE_AREA_AVERAGING);
    BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(s, 0, 0, null);
    g.dispose();
    return out;
  }

  public static void main(String[] args) throws Exception {
    String images = null, outFile = null, levels = null, model = null;
    int maxSide = 1024, every = 1, limit = Integer.MAX_VALUE;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--images" -> images = args[i + 1];
        case "--out" -> outFile = args[i + 1];
        case "--levels" -> levels = args[i + 1];
        case "--model" -> model = args[i + 1];
        case "--max-side" -> maxSide = Integer.parseInt(args[i + 1]);
        case "--every" -> every = Integer.parseInt(args[i + 1]);
        case "--limit" -> limit = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (images == null || outFile == null) {
      System.err.println(
          "usage: TokenCorpus --images DIR --out FILE.tok [--model PACKAGE_DIR] [--max-side 1024]"
              + " [--every 1] [--limit N] [--levels 4096,1024,256,64,16]");
      System.exit(2);
    }
    try (Tokenizer tok =
        model == null
            ? Tokenizer.loadDefault()
            : Tokenizer.open(ModelRegistry.loadFolder(Paths.get(model)))) {
      int[] ks =
          levels == null
              ? tok.codebookSizes()
              : Arrays.stream(levels.split(",")).mapToInt(Integer::parseInt).toArray();
      build(tok, ks, Paths.get(images), maxSide, every, limit, Paths.get(outFile));
    }
  }

  /**
   * Tokenizes every {@code every}-th image under {@code root} (at most {@code limit}, each scaled
   * to at most {@code maxSide}) at levels {@code ks} and writes the corpus to {@code out}.
   */
  public static void build(
      Tokenizer tok, int[] ks, Path root, int maxSide, int every, int limit, Path out)
      throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> p.toString().matches("(?i).*\\.(png|jpe?g|tiff?|bmp)$"))
              .sorted()
              .toList();
    }
    List<Path> chosen = new ArrayList<>();
    for (int i = 0; i < files.size() && chosen.size() < limit; i += every) chosen.add(files.get(i));
    if (out.getParent() != null) Files.createDirectories(out.getParent());
    long t0 = System.nanoTime();
    int n = 0;
    try (OutputStream os = Files.newOutputStream(out);
        DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
      writeHeader(dos);
      for (Path f : chosen) {
        BufferedImage img = ImageIO.read(f.toFile());
        if (img == null) {
          System.err.println("skipped (unreadable): " + f);
          continue;
        }
        img = fit(img, maxSide);
        TokenGrid[] fine = new TokenGrid[ks.length], coarse = new TokenGrid[ks.length];
        java.util.Map<Integer, TokenGrid[]> byLevel =
            tok.encodeLevels(img, ks); // the network runs once
        for (int l = 0; l < ks.length; l++) {
          fine[l] = byLevel.get(ks[l])[0];
          coarse[l] = byLevel.get(ks[l])[1];
        }
        String name = root.relativize(f).toString().replace('\\', '/');
        writeEntry(dos, new Entry(name, img.getWidth(), img.getHeight(), ks, fine, coarse));
        n++;
        if (n % 10 == 0) {
          System.err.printf(
              Locale.ROOT,
              "%d/%d images, %.0f s%n",
              n,
              chosen.size(),
              (System.nanoTime() - t0) / 1e9);
        }
      }
    }
    System.err.printf(
        Locale.ROOT, "%d images -> %s in %.0f s%n", n, out, (System.nanoTime() - t0) / 1e9);
  }
}
