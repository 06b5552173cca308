package io.vqcodec.tools.vectors;

import io.vqcodec.conformance.Manifest;
import io.vqcodec.conformance.TokenDump;
import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.FormatException;
import io.vqcodec.entropy.EntropyDecodingException;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.PixelResidual;
import io.vqcodec.tokens.SliceReport;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.UnknownModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Seeded mutation fuzzing of the tokens-only decoder over the conformance vectors. Every input must
 * end in a decoded grid (well formed: every coded token in {@code 0..K-1} or lost, one report per
 * slice) or in one of the documented exceptions, {@link FormatException} and {@link
 * UnknownModelException}; any other exception or error, or a decode that outlasts the per-input
 * timeout, is a failure (Spec §2.7: no crash, no hang, no allocation beyond Annex A).
 *
 * <p>Mutations: bit flips, byte overwrites, truncations, insertions, deletions and duplications
 * anywhere (most end at a CRC), plus edits that keep the stream's CRCs consistent so that they
 * reach deeper: one header field rewritten with header_size and header_crc fixed, or one slice
 * payload mutated with its payload_length and payload_crc fixed (these reach the entropy decoder).
 * The same seed gives the same inputs on every JVM.
 *
 * <pre>
 * MutationFuzzer [--iterations N] [--seed S] [--vectors DIR] [--timeout-ms T] [--save DIR]
 * </pre>
 *
 * Failing inputs are written to {@code --save DIR} (default {@code target/fuzz-failures}) as {@code
 * seed-S-iter-I.vqc}. Exit code 0 when nothing failed, 1 otherwise.
 */
public final class MutationFuzzer {
  /** Vectors above this size or cell count are left out of the corpus (they only slow fuzzing). */
  static final int MAX_CORPUS_BYTES = 4096, MAX_CORPUS_CELLS = 1024;

  private MutationFuzzer() {}

  /** One input that broke the contract. */
  public record Failure(int iteration, String mutation, byte[] input, String problem) {
    @Override
    public String toString() {
      return "iteration "
          + iteration
          + " ("
          + mutation
          + ", "
          + input.length
          + " bytes): "
          + problem;
    }
  }

  /**
   * What a campaign did.
   *
   * @param decoded inputs that decoded
   * @param refused inputs refused with a documented exception
   * @param lostSlices slices reported lost over all decoded inputs
   * @param undecodableSlices slices whose payload passed its CRC but failed entropy decoding
   * @param maxMillis the slowest single decode
   */
  public record Report(
      int iterations,
      int decoded,
      int refused,
      long lostSlices,
      long undecodableSlices,
      long maxMillis,
      List<Failure> failures) {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("vqcodec.root", "."));
    Path vectors = root.resolve("conformance/vectors");
    Path save = root.resolve("tools/target/fuzz-failures");
    int iterations = 100_000;
    long seed = 1, timeoutMs = 10_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--vectors" -> vectors = Path.of(args[++i]);
        case "--timeout-ms" -> timeoutMs = Long.parseLong(args[++i]);
        case "--save" -> save = Path.of(args[++i]);
        default -> {
          System.err.println(
              "usage: MutationFuzzer [--iterations N] [--seed S] [--vectors DIR] "
                  + "[--timeout-ms T] [--save DIR]");
          System.exit(2);
        }
      }
    }
    long t0 = System.nanoTime();
    Report r = run(corpus(vectors), seed, iterations, Duration.ofMillis(timeoutMs));
    for (Failure f : r.failures()) {
      Files.createDirectories(save);
      Path p = save.resolve("seed-" + seed + "-iter-" + f.iteration() + ".vqc");
      Files.write(p, f.input());
      System.out.println("FAIL " + f + " -> " + p);
    }
    System.out.printf(
        Locale.ROOT,
        "seed %d: %d inputs, %d decoded (%d slices lost, %d undecodable), "
            + "%d refused, %d failures; slowest %d ms; %.1f s%n",
        seed,
        r.iterations(),
        r.decoded(),
        r.lostSlices(),
        r.undecodableSlices(),
        r.refused(),
        r.failures().size(),
        r.maxMillis(),
        (System.nanoTime() - t0) / 1e9);
    System.exit(r.failures().isEmpty() ? 0 : 1);
  }

  /** The valid, fully decodable, small vectors of {@code vectors}, in manifest order. */
  public static List<byte[]> corpus(Path vectors) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (Manifest.Entry e : Manifest.read(vectors.resolve(Manifest.FILE))) {
      if (!e.decodes()
          || e.bytes() > MAX_CORPUS_BYTES
          || !e.endCode().equals("ok")
          || !e.slices().replace("DECODED", "").replace(",", "").isEmpty()) {
        continue;
      }
      long cells = (long) ((e.width() + 15) / 16) * ((e.height() + 15) / 16);
      if (cells > MAX_CORPUS_CELLS) continue;
      out.add(Files.readAllBytes(vectors.resolve(e.name())));
    }
    return out;
  }

  /**
   * Runs {@code iterations} mutated inputs from {@code corpus}, deterministically from {@code
   * seed}.
   */
  public static Report run(List<byte[]> corpus, long seed, int iterations, Duration perInput)
      throws InterruptedException {
    if (corpus.isEmpty()) throw new IllegalArgumentException("empty corpus");
    SplittableRandom r = new SplittableRandom(seed);
    ExecutorService worker = newWorker();
    int decoded = 0, refused = 0;
    long lost = 0, undecodable = 0, maxMillis = 0;
    List<Failure> failures = new ArrayList<>();
    try {
      for (int it = 0; it < iterations; it++) {
        byte[] base = corpus.get(r.nextInt(corpus.size()));
        StringBuilder how = new StringBuilder();
        byte[] input = mutate(base, r, how);
        long t0 = System.nanoTime();
        Future<Object> f = worker.submit(() -> decode(input));
        Object result;
        try {
          result = f.get(perInput.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          f.cancel(true);
          worker.shutdownNow();
          worker = newWorker(); // the stuck thread is a daemon and is abandoned
          failures.add(
              new Failure(
                  it,
                  how.toString(),
                  input,
                  "no result after " + perInput.toMillis() + " ms (hang?)"));
          continue;
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          failures.add(new Failure(it, how.toString(), input, "undocumented " + c));
          continue;
        }
        maxMillis = Math.max(maxMillis, (System.nanoTime() - t0) / 1_000_000);
        if (result instanceof DecodedTokens t) {
          String bad = check(t);
          if (bad != null) {
            failures.add(new Failure(it, how.toString(), input, bad));
            continue;
          }
          decoded++;
          for (SliceReport s : t.slices()) {
            if (s.lost()) lost++;
            if (s.outcome() == SliceReport.Outcome.UNDECODABLE) undecodable++;
          }
        } else {
          refused++;
        }
      }
    } finally {
      worker.shutdownNow();
    }
    return new Report(
        iterations, decoded, refused, lost, undecodable, maxMillis, List.copyOf(failures));
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(
        task -> {
          Thread t = new Thread(task, "fuzz-decode");
          t.setDaemon(true);
          return t;
        });
  }

  /** The decoded tokens, or the documented exception; anything else propagates as a failure. */
  private static Object decode(byte[] input) throws IOException {
    try {
      return TokenDecoder.decode(new ByteArrayInputStream(input), LossSimulation.NONE, null);
    } catch (FormatException | UnknownModelException e) {
      return e;
    }
  }

  /** Why a decoded result is malformed, or null. */
  private static String check(DecodedTokens t) {
    TokenGrid g = t.grid();
    int k = g.codebookSize();
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        if (g.isFine(cx, cy)) {
          for (int q = 0; q < 4; q++) {
            int v = g.fineToken(2 * cx + (q & 1), 2 * cy + (q >> 1));
            if (v != TokenGrid.LOST && (v < 0 || v >= k))
              return "fine token " + v + " outside 0.." + (k - 1);
          }
        } else {
          int v = g.coarseToken(cx, cy);
          if (v != TokenGrid.LOST && (v < 0 || v >= k))
            return "coarse token " + v + " outside 0.." + (k - 1);
        }
      }
    }
    int rows = 0;
    for (SliceReport s : t.slices()) {
      if (s.firstRow() != rows) return "slice " + s.index() + " starts at row " + s.firstRow();
      rows += s.rowCount();
    }
    if (rows != g.cellsHigh())
      return "slices cover " + rows + " of " + g.cellsHigh() + " cell rows";
    TokenDump.serialize(g);
    return checkResidual(t);
  }

  /**
   * Spec §6.9: every residual part that arrived decodes to samples or fails with {@link
   * EntropyDecodingException} (Spec §6.9.5), nothing else; pictures above {@link
   * #MAX_RESIDUAL_PIXELS} are left out (their residual costs time in proportion to their area, as
   * their synthesis does, which a per-input timeout would report as a hang).
   */
  private static String checkResidual(DecodedTokens t) {
    ContainerHeader h = t.header();
    if (!h.hasPixelResidual()) {
      return t.residualParts().isEmpty() ? null : "residual parts without a pixel-residual block";
    }
    if (t.residualParts().size() != t.slices().size()) {
      return t.residualParts().size() + " residual parts for " + t.slices().size() + " slices";
    }
    int w = h.picture().width(), height = h.picture().height(), f = 1 << h.resolutionShift();
    if ((long) w * height > MAX_RESIDUAL_PIXELS) return null;
    PixelResidual.Steps steps =
        new PixelResidual.Steps(h.residualLumaStep(), h.residualChromaStep());
    boolean gray = h.picture().channelFormat() == ChannelFormat.GRAY;
    for (int i = 0; i < t.slices().size(); i++) {
      byte[] part = t.residualParts().get(i);
      if (part == null) continue;
      SliceReport s = t.slices().get(i);
      int y0 = 16 * f * s.firstRow(), y1 = Math.min(height, 16 * f * (s.firstRow() + s.rowCount()));
      try {
        PixelResidual.decodePlanes(part, 0, part.length, steps, gray, w, y0, y1, (y, p, o) -> {});
      } catch (EntropyDecodingException expected) {
        // Spec §6.9.5: the part adds nothing
      }
    }
    return null;
  }

  /** Pictures whose residual {@link #checkResidual} decodes: 2^20 pixels. */
  static final long MAX_RESIDUAL_PIXELS = 1 << 20;

  /** One mutated copy of {@code base}; {@code how} receives a description. */
  static byte[] mutate(byte[] base, SplittableRandom r, StringBuilder how) {
    int op = r.nextInt(10);
    try {
      if (op == 0 || op == 1) return editField(base, r, how);
      if (op == 2 || op == 3) return editPayload(base, r, how);
    } catch (RuntimeException notParseable) {
      // fall through to a raw mutation
    }
    byte[] b = base;
    int n = 1 + (r.nextInt(4) == 0 ? r.nextInt(4) : 0);
    for (int i = 0; i < n; i++) b = raw(b, r, how);
    return b;
  }

  /** A raw byte-level mutation anywhere (usually caught by a CRC or a range check). */
  private static byte[] raw(byte[] b, SplittableRandom r, StringBuilder how) {
    // Half of the edits land in the header, where most of the parsing is.
    int span = b.length == 0 ? 1 : (r.nextBoolean() ? Math.min(b.length, 96) : b.length);
    int pos = r.nextInt(span);
    switch (r.nextInt(6)) {
      case 0 -> {
        if (b.length == 0) return b;
        b = b.clone();
        b[pos] ^= (byte) (1 << r.nextInt(8));
        how.append("flip@").append(pos).append(' ');
      }
      case 1 -> {
        if (b.length == 0) return b;
        b = b.clone();
        int[] interesting = {0x00, 0xFF, 0x80, 0x7F, 0x01, r.nextInt(256)};
        b[pos] = (byte) interesting[r.nextInt(interesting.length)];
        how.append("set@").append(pos).append(' ');
      }
      case 2 -> {
        int len = r.nextInt(b.length + 1);
        b = Arrays.copyOf(b, len);
        how.append("truncate@").append(len).append(' ');
      }
      case 3 -> {
        pos = Math.min(pos, b.length);
        byte[] ins = new byte[1 + r.nextInt(16)];
        r.nextBytes(ins);
        byte[] c = new byte[b.length + ins.length];
        System.arraycopy(b, 0, c, 0, pos);
        System.arraycopy(ins, 0, c, pos, ins.length);
        System.arraycopy(b, pos, c, pos + ins.length, b.length - pos);
        b = c;
        how.append("insert").append(ins.length).append('@').append(pos).append(' ');
      }
      case 4 -> {
        if (b.length == 0) return b;
        int len = Math.min(b.length - pos, 1 + r.nextInt(16));
        byte[] c = new byte[b.length - len];
        System.arraycopy(b, 0, c, 0, pos);
        System.arraycopy(b, pos + len, c, pos, b.length - pos - len);
        b = c;
        how.append("delete").append(len).append('@').append(pos).append(' ');
      }
      default -> {
        if (b.length == 0) return b;
        int len = Math.min(b.length - pos, 1 + r.nextInt(32));
        byte[] c = new byte[b.length + len];
        System.arraycopy(b, 0, c, 0, pos + len);
        System.arraycopy(b, pos, c, pos + len, b.length - pos);
        b = c;
        how.append("duplicate").append(len).append('@').append(pos).append(' ');
      }
    }
    return b;
  }

  /**
   * One header field rewritten with a hostile value; header_size and header_crc made consistent.
   */
  private static byte[] editField(byte[] base, SplittableRandom r, StringBuilder how) {
    HeaderEditor e = HeaderEditor.parse(base);
    List<String> names = e.fieldNames();
    String name = names.get(r.nextInt(names.size()));
    if (name.equals("header_crc") || name.equals("header_size")) name = "width";
    byte[] old = e.raw(name);
    byte[] v;
    switch (r.nextInt(4)) {
      case 0 -> {
        v = old.clone();
        if (v.length > 0) v[r.nextInt(v.length)] ^= (byte) (1 << r.nextInt(8));
      }
      case 1 -> {
        // A small value, keeping the field's encoding (fixed width or varint).
        long x = r.nextInt(4) == 0 ? r.nextLong(1L << 56) : r.nextInt(20);
        v = isVarint(name) ? HeaderEditor.varint(x) : HeaderEditor.be(x, old.length);
      }
      case 2 -> {
        v = new byte[Math.max(0, old.length + r.nextInt(5) - 2)];
        r.nextBytes(v);
      }
      default -> {
        v = old.clone();
        if (v.length > 0) v[r.nextInt(v.length)] = (byte) r.nextInt(256);
      }
    }
    how.append("field ").append(name).append(' ');
    return e.set(name, v).toFile(true);
  }

  private static boolean isVarint(String name) {
    return !(name.equals("magic")
        || name.endsWith("version_major")
        || name.endsWith("version_minor")
        || name.equals("profile")
        || name.equals("header_flags")
        || name.equals("channel_format")
        || name.equals("bit_depth")
        || name.equals("weights_hash")
        || name.equals("codebook_level")
        || name.equals("granularity_mode")
        || name.equals("prob_model_id")
        || name.endsWith("extension_type")
        || name.endsWith("extension_payload")
        || name.endsWith("payload_crc"));
  }

  /** One slice payload mutated, its length and CRC fixed: the entropy decoder sees the damage. */
  private static byte[] editPayload(byte[] base, SplittableRandom r, StringBuilder how) {
    HeaderEditor e = HeaderEditor.parse(base);
    int i = r.nextInt(e.sliceCount());
    byte[] p = e.payload(i);
    StringBuilder inner = new StringBuilder();
    int n = 1 + r.nextInt(3);
    for (int j = 0; j < n; j++) p = raw(p, r, inner);
    int limit = 64 + 32 * 1024; // far below any Annex A limit this corpus reaches
    if (p.length > limit) p = Arrays.copyOf(p, limit);
    how.append("payload ").append(i).append(": ").append(inner);
    return e.setPayload(i, p, true).toFile(true);
  }
}
