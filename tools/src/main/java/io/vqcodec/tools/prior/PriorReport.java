package io.vqcodec.tools.prior;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.AdaptiveModel;
import io.vqcodec.entropy.Cdf;
import io.vqcodec.entropy.EntropyDecodingException;
import io.vqcodec.entropy.RansEncoder;
import io.vqcodec.tokens.ContextPrior;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.Order0SliceWalk;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.SliceWalk;
import io.vqcodec.tokens.TokenGrid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Bits per token of the prior and of the baselines on a token corpus (Kodak: reporting only).
 *
 * <p>Usage: {@code PriorReport --corpus runs/tokens/kodak.tok --train runs/tokens/train.tok --out
 * results/prior [--levels 4096,...] [--no-ablations] [--prior FILE]} ({@code --prior}: a parameter
 * file instead of the released one, for experiments). For every level and for all-fine, all-coarse
 * and mixed grids (per-cell Bernoulli(0.5), {@code new Random(K * 1000 + image)}), every image is
 * one slice. Rows: uniform {@code log2 K}; static frequencies of the training corpus (+1) as a
 * quantized CDF (McQuic-style), coded with rANS; static Huffman (code lengths from the same counts;
 * bytes = ceil(bits / 8) per image); adaptive order-0 (the prob_model_id 0 path of Spec §6.3/§8.2,
 * coded); xz -9 and zstd -19 (Commons Compress) over the raw indices (1 byte per index for K <=
 * 256, else 2, little-endian; mixed grids with a flag byte before each cell), one stream per image;
 * the released prior; and priors refitted on the training corpus with one context part removed.
 * Coded rows give actual bytes; the prior rows also give the model cross-entropy {@code sum
 * -log2(freq / 2^24)} of the quantized CDFs, so the coder overhead is visible. Flags are included
 * in the mixed rows' bits (all schemes that code them). Also reports prior encode and decode
 * tokens/s (one thread, decode checked against the source).
 */
public final class PriorReport {
  private PriorReport() {}

  /** Coded size and model cross-entropy of one slice. */
  record Cost(int bytes, double bits) {}

  /** Codes a whole grid as one slice and returns bytes and cross-entropy. */
  static Cost prior(ContextPrior prior, int[] enabled, TokenGrid g, GranularityMode mode) {
    ContextPrior.Level lv = prior.level(g.codebookSize());
    RansEncoder enc = new RansEncoder();
    double[] bits = {0};
    try {
      new SliceWalk() {
        @Override
        public boolean flag(AdaptiveBinaryModel m, boolean isFine) {
          int f0 = m.probabilityOfZero() << 8;
          bits[0] -= log2((isFine ? (1 << 24) - f0 : f0) / (double) (1 << 24));
          enc.encode(m, isFine ? 1 : 0);
          return isFine;
        }

        @Override
        public int token(Cdf cdf, int value) {
          bits[0] -= log2(cdf.freq(value) / (double) (1 << 24));
          enc.encode(cdf, value);
          return value;
        }
      }.run(lv, enabled, g.copy(), 0, g.cellsHigh(), mode);
    } catch (EntropyDecodingException e) {
      throw new IllegalStateException(e);
    }
    return new Cost(enc.finish().length, bits[0]);
  }

  static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  /**
   * Visits the symbols of a whole grid coded as one slice in Spec §6.3 order (the order-0 walk of
   * the token layer): per cell (raster), a flag (mixed only, with its §6.4 model) and its 1 or 4
   * tokens.
   */
  interface Visitor {
    void flag(AdaptiveBinaryModel m, boolean fine);

    void token(boolean fine, int t);
  }

  static void visit(TokenGrid g, GranularityMode mode, Visitor v) {
    try {
      new Order0SliceWalk() {
        @Override
        protected boolean flag(AdaptiveBinaryModel m, boolean isFine) {
          v.flag(m, isFine);
          return isFine;
        }

        @Override
        protected int token(AdaptiveModel m, boolean fine, int value) {
          v.token(fine, value);
          return value;
        }
      }.run(g.copy(), 0, g.cellsHigh(), mode);
    } catch (EntropyDecodingException e) {
      throw new IllegalStateException(e); // nothing is decoded
    }
  }

  /** prob_model_id 0: the codec's own order-0 payload. */
  static int adaptive(TokenGrid g, GranularityMode mode) {
    return SliceCoder.encode(null, g, 0, g.cellsHigh(), mode).length;
  }

  static int staticCdf(TokenGrid g, GranularityMode mode, Cdf[] cdf) {
    RansEncoder enc = new RansEncoder();
    visit(
        g,
        mode,
        new Visitor() {
          public void flag(AdaptiveBinaryModel m, boolean f) {
            enc.encode(m, f ? 1 : 0);
          }

          public void token(boolean f, int t) {
            enc.encode(cdf[f ? 1 : 0], t);
          }
        });
    return enc.finish().length;
  }

  /** Huffman bits (flags in mixed grids cost 1 bit each), rounded up to bytes. */
  static int huffman(TokenGrid g, GranularityMode mode, int[][] len) {
    long[] bits = {0};
    visit(
        g,
        mode,
        new Visitor() {
          public void flag(AdaptiveBinaryModel m, boolean f) {
            bits[0] += 1;
          }

          public void token(boolean f, int t) {
            bits[0] += len[f ? 1 : 0][t];
          }
        });
    return (int) ((bits[0] + 7) / 8);
  }

  static byte[] raw(TokenGrid g, GranularityMode mode) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean two = g.codebookSize() > 256;
    visit(
        g,
        mode,
        new Visitor() {
          public void flag(AdaptiveBinaryModel m, boolean f) {
            out.write(f ? 1 : 0);
          }

          public void token(boolean f, int t) {
            out.write(t & 0xFF);
            if (two) out.write(t >> 8);
          }
        });
    return out.toByteArray();
  }

  static int xz(byte[] b) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (OutputStream o = new XZCompressorOutputStream(bo, 9)) {
      o.write(b);
    }
    return bo.size();
  }

  static int zstd(byte[] b) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (OutputStream o = new ZstdCompressorOutputStream(bo, 19)) {
      o.write(b);
    }
    return bo.size();
  }

  /** Huffman code lengths of the counts (no length limit). */
  static int[] huffmanLengths(long[] counts) {
    int n = counts.length;
    int[] parent = new int[2 * n];
    PriorityQueue<long[]> q =
        new PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    for (int i = 0; i < n; i++) q.add(new long[] {counts[i], i});
    int next = n;
    while (q.size() > 1) {
      long[] a = q.poll(), b = q.poll();
      parent[(int) a[1]] = next;
      parent[(int) b[1]] = next;
      q.add(new long[] {a[0] + b[0], next++});
    }
    int root = next - 1;
    int[] len = new int[n];
    for (int i = 0; i < n; i++) {
      int d = 0;
      for (int x = i; x != root; x = parent[x]) d++;
      len[i] = Math.max(1, d);
    }
    return len;
  }

  static TokenGrid mixed(TokenCorpus.Entry e, int k, Random r) {
    TokenGrid f = e.fine(k);
    boolean[] fine = new boolean[f.cellsWide() * f.cellsHigh()];
    for (int i = 0; i < fine.length; i++) fine[i] = r.nextBoolean(); // raster order of cells
    return TokenGrid.mix(f, e.coarse(k), fine);
  }

  public static void main(String[] args) throws Exception {
    String corpus = "runs/tokens/kodak.tok", train = "runs/tokens/train.tok", out = "results/prior";
    String levels = "4096,1024,256,64,16";
    boolean ablations = true;
    String priorFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--corpus" -> corpus = args[++i];
        case "--train" -> train = args[++i];
        case "--out" -> out = args[++i];
        case "--levels" -> levels = args[++i];
        case "--no-ablations" -> ablations = false;
        case "--prior" -> priorFile = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    int[] ks = Arrays.stream(levels.split(",")).mapToInt(Integer::parseInt).toArray();
    List<TokenCorpus.Entry> test = TokenCorpus.read(Paths.get(corpus));
    List<TokenCorpus.Entry> tr = TokenCorpus.read(Paths.get(train));
    ContextPrior released;
    if (priorFile == null) {
      released = ModelRegistry.builtIn().defaultTokenizer().prior();
    } else {
      try (java.io.InputStream in = Files.newInputStream(Paths.get(priorFile))) {
        released = ContextPrior.load(in);
      }
    }
    float[][] books = ablations ? PriorFit.codebooks(ks) : null;
    String[] grids = {"fine", "coarse", "mixed"};
    StringBuilder csv =
        new StringBuilder(
            "K,grid,method,tokens,bytes,bits_per_token,model_bits_per_token,"
                + "ratio_to_uniform\n");
    StringBuilder md = new StringBuilder();
    StringBuilder speed = new StringBuilder();
    md.append("# Bits per token on ")
        .append(corpus)
        .append(" (")
        .append(test.size())
        .append(" images)\n\n");
    md.append(
        "Generated by `PriorReport` (see prior/README.md). Each image is one slice; bits per token = coded "
            + "bytes x 8 / tokens (mixed grids: flags included). `model` = cross-entropy of the quantized CDFs; "
            + "`% uniform` = coded bits over log2 K.\n\n");
    for (int k : ks) {
      // static statistics from the training corpus
      long[][] counts = new long[2][k];
      for (long[] c : counts) Arrays.fill(c, 1);
      for (TokenCorpus.Entry e : tr) {
        TokenGrid c = e.coarse(k), f = e.fine(k);
        for (int cy = 0; cy < c.cellsHigh(); cy++) {
          for (int cx = 0; cx < c.cellsWide(); cx++) counts[0][c.coarseToken(cx, cy)]++;
        }
        for (int fy = 0; fy < f.fineHigh(); fy++) {
          for (int fx = 0; fx < f.fineWide(); fx++) counts[1][f.fineToken(fx, fy)]++;
        }
      }
      Cdf[] cdf = {Cdf.quantize(counts[0]), Cdf.quantize(counts[1])};
      int[][] hl = {huffmanLengths(counts[0]), huffmanLengths(counts[1])};
      Map<String, ContextPrior> variants = new LinkedHashMap<>();
      Map<String, int[]> enabledOf = new LinkedHashMap<>();
      variants.put("prior (released)", released);
      enabledOf.put("prior (released)", SliceWalk.allComponents());
      if (ablations) {
        Object[][] abl = {
          {"prior - spatial", new int[] {0, 0x30, 0x30}, 0},
          {"prior - cross-granularity", new int[] {0xF, 0xF, 0xF}, 0},
          {"prior - predicted mean", SliceWalk.allComponents(), PriorFit.NO_MEAN},
          {"prior - adaptive counts", SliceWalk.allComponents(), PriorFit.NO_ADAPTIVE},
          {"prior - all context (static only)", new int[] {0, 0, 0}, PriorFit.NO_ADAPTIVE},
        };
        int li = 0;
        while (ks[li] != k) li++;
        for (Object[] a : abl) {
          ContextPrior.Level lv =
              PriorFit.fitLevel(k, books[li], tr, (int[]) a[1], (int) a[2], null);
          variants.put((String) a[0], ContextPrior.of(new ContextPrior.Level[] {lv}));
          enabledOf.put((String) a[0], (int[]) a[1]);
        }
      }
      md.append("## K = ")
          .append(k)
          .append(" (uniform ")
          .append((int) log2(k))
          .append(" bits)\n\n");
      md.append(
          "| method | fine: bits/token | model | % uniform | coarse: bits/token | model | % uniform "
              + "| mixed: bits/token | model | % uniform |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      Map<String, double[]> rows = new LinkedHashMap<>();
      for (int gi = 0; gi < 3; gi++) {
        GranularityMode mode =
            gi == 0
                ? GranularityMode.ALL_FINE
                : gi == 1 ? GranularityMode.ALL_COARSE : GranularityMode.MIXED;
        long tokens = 0;
        Map<String, long[]> bytes = new LinkedHashMap<>();
        Map<String, double[]> model = new LinkedHashMap<>();
        for (String name :
            new String[] {
              "uniform",
              "static frequencies (McQuic-style)",
              "static Huffman",
              "adaptive order-0 (model 0)",
              "xz -9 (raw indices)",
              "zstd -19 (raw indices)"
            }) {
          bytes.put(name, new long[1]);
        }
        for (String v : variants.keySet()) {
          bytes.put(v, new long[1]);
          model.put(v, new double[1]);
        }
        long encNs = 0, decNs = 0;
        int img = 0;
        for (TokenCorpus.Entry e : test) {
          TokenGrid g =
              gi == 0
                  ? e.fine(k)
                  : gi == 1 ? e.coarse(k) : mixed(e, k, new Random(k * 1000L + img));
          img++;
          tokens += g.tokenCount();
          int flags = mode == GranularityMode.MIXED ? g.cellsWide() * g.cellsHigh() : 0;
          bytes.get("uniform")[0] += (long) Math.ceil((g.tokenCount() * log2(k) + flags) / 8);
          bytes.get("static frequencies (McQuic-style)")[0] += staticCdf(g, mode, cdf);
          bytes.get("static Huffman")[0] += huffman(g, mode, hl);
          bytes.get("adaptive order-0 (model 0)")[0] += adaptive(g, mode);
          byte[] raw = raw(g, mode);
          bytes.get("xz -9 (raw indices)")[0] += xz(raw);
          bytes.get("zstd -19 (raw indices)")[0] += zstd(raw);
          for (Map.Entry<String, ContextPrior> v : variants.entrySet()) {
            Cost c = prior(v.getValue(), enabledOf.get(v.getKey()), g, mode);
            bytes.get(v.getKey())[0] += c.bytes();
            model.get(v.getKey())[0] += c.bits();
          }
          // speed and decode check of the released prior through the public API
          long t0 = System.nanoTime();
          byte[] p = SliceCoder.encode(released, g, 0, g.cellsHigh(), mode);
          long t1 = System.nanoTime();
          TokenGrid back = new TokenGrid(g.width(), g.height(), k);
          SliceCoder.decode(released, p, back, 0, g.cellsHigh(), mode);
          long t2 = System.nanoTime();
          if (!back.equals(g))
            throw new IllegalStateException("decode mismatch " + e.name() + " K=" + k);
          if (img > 1) { // first image warms up
            encNs += t1 - t0;
            decNs += t2 - t1;
          }
        }
        long timedTokens =
            tokens
                - (gi == 0
                    ? test.get(0).fine(k).tokenCount()
                    : gi == 1
                        ? test.get(0).coarse(k).tokenCount()
                        : mixed(test.get(0), k, new Random(k * 1000L)).tokenCount());
        speed.append(
            String.format(
                Locale.ROOT,
                "| %d | %s | %.0f | %.0f |%n",
                k,
                grids[gi],
                timedTokens / (encNs / 1e9),
                timedTokens / (decNs / 1e9)));
        for (Map.Entry<String, long[]> b : bytes.entrySet()) {
          double bpt = b.getValue()[0] * 8.0 / tokens;
          double mbpt =
              model.containsKey(b.getKey()) ? model.get(b.getKey())[0] / tokens : Double.NaN;
          double ratio = bpt / log2(k);
          csv.append(
              String.format(
                  Locale.ROOT,
                  "%d,%s,%s,%d,%d,%.4f,%s,%.4f%n",
                  k,
                  grids[gi],
                  b.getKey(),
                  tokens,
                  b.getValue()[0],
                  bpt,
                  Double.isNaN(mbpt) ? "" : String.format(Locale.ROOT, "%.4f", mbpt),
                  ratio));
          rows.computeIfAbsent(b.getKey(), x -> new double[9]);
          double[] r = rows.get(b.getKey());
          r[3 * gi] = bpt;
          r[3 * gi + 1] = mbpt;
          r[3 * gi + 2] = ratio;
        }
        System.err.printf(Locale.ROOT, "K=%d %s done%n", k, grids[gi]);
      }
      for (Map.Entry<String, double[]> r : rows.entrySet()) {
        double[] v = r.getValue();
        md.append("| ").append(r.getKey());
        for (int gi = 0; gi < 3; gi++) {
          md.append(
              String.format(
                  Locale.ROOT,
                  " | %.3f | %s | %.1f%%",
                  v[3 * gi],
                  Double.isNaN(v[3 * gi + 1])
                      ? ""
                      : String.format(Locale.ROOT, "%.3f", v[3 * gi + 1]),
                  100 * v[3 * gi + 2]));
        }
        md.append(" |\n");
      }
      md.append('\n');
    }
    md.append(
            "## Speed of the released prior (tokens/s, one thread, whole-image slices, first image excluded)\n\n"
                + "| K | grid | encode | decode |\n|---:|---|---:|---:|\n")
        .append(speed)
        .append('\n');
    md.append("Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores visible, Java ")
        .append(System.getProperty("java.version"))
        .append("; shared with other jobs (timings are indicative).\n");
    Path o = Paths.get(out);
    Files.createDirectories(o);
    Files.writeString(o.resolve("bits-per-token.md"), md.toString());
    Files.writeString(o.resolve("bits-per-token.csv"), csv.toString());
    System.out.print(md);
  }
}
