package io.vqcodec.tools.vectors;

import io.vqcodec.conformance.ErrorCategory;
import io.vqcodec.conformance.Manifest;
import io.vqcodec.conformance.TokenDump;
import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerWriter;
import io.vqcodec.container.Extension;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.Limits;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.PictureHeader;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.container.Slice;
import io.vqcodec.container.TokenGridParams;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.PixelResidual;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.TokenGrid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The pixel-residual vectors (Spec §6.9, §9.6.4, §C.2.2): synthetic token grids with residual parts
 * coded from synthetic pictures, so that they need no network (the residual does not depend on
 * synthesis). The tokens part of the expected output is the grid built here; the residual part is
 * the reference decoder's samples, checked here against what was coded: within the quantiser's
 * error of the difference each part codes, so a wrong transform or colour rule cannot pass.
 */
final class ResidualVectors {
  private static final ProbabilityModel PM0 = ProbabilityModel.ADAPTIVE_ORDER0;
  private static final GranularityMode MIXED = GranularityMode.MIXED;

  private final Path out;
  private final List<Manifest.Entry> entries;
  private final ModelId model;

  ResidualVectors(Path out, List<Manifest.Entry> entries, ModelId model) {
    this.out = out;
    this.entries = entries;
    this.model = model;
  }

  /** A synthetic picture: its grid, its slices' rows, the pixels its residual codes. */
  private record Picture(
      TokenGrid grid,
      int[] rows,
      int width,
      int height,
      int shift,
      boolean gray,
      int[] source,
      PixelResidual.Steps steps) {}

  void generate() throws IOException {
    Picture base = picture(80, 64, 0, false, 1, 160, 320, 3000, Detail.TEXTURE);
    byte[] b = write(base, null);
    valid(
        "residual-base-pm0",
        b,
        base,
        "§6.9 §9.6.4",
        "80x64, K=256, four 1-row slices, a residual of a textured picture at luma step 40 and"
            + " chroma step 80 (quarter units 160, 320)");
    Picture gray = picture(50, 40, 0, true, 2, 24, 1, 3010, Detail.TEXTURE);
    valid(
        "residual-gray-pm0",
        write(gray, null),
        gray,
        "§6.9 §9.6.4 §3.2",
        "a 50x40 gray picture (one plane), blocks cut at the right and bottom edges, luma step 6"
            + " (quarter units 24), chroma_step 1 (unused)");
    Picture extremes = picture(24, 16, 0, false, 1, 1, 1, 3020, Detail.EXTREMES);
    valid(
        "residual-escapes-pm0",
        write(extremes, null),
        extremes,
        "§6.9.2 §6.9.3 §6.9.4",
        "black, white and saturated colours against a zero synthesis at step 1 (quarter units):"
            + " DC magnitudes in the thousands, escapes of up to 12 prefix bits");
    Picture half = picture(70, 60, 1, false, 1, 64, 128, 3030, Detail.TEXTURE);
    valid(
        "residual-coded-res-half-pm0",
        write(half, null),
        half,
        "§6.9 §9.6.4 §9.6.1",
        "70x60 coded at half size (a 35x30 grid, two 1-row slices): each slice's residual covers"
            + " 32 pixel rows of the full picture");
    // Slice 1 with an empty residual part (a residual of zeros, kind 0x00).
    valid(
        "residual-empty-part-pm0",
        write(base, new int[] {1}),
        base,
        "§6.9.1 §6.9.2",
        "the picture of residual-base-pm0 with an empty residual part in slice 1");
    damaged(base, b);
    invalid(base, b);
  }

  /** Lost slices and lost residual parts (Spec §5.5, §6.9.1, §6.9.5). */
  private void damaged(Picture base, byte[] b) throws IOException {
    HeaderEditor e = HeaderEditor.parse(b);
    int start1 = e.headerSize() + e.payload(0).length;
    byte[] crc = b.clone();
    crc[start1 + 2] ^= 0x10;
    decodes(
        "residual-slice-crc-damaged-pm0",
        crc,
        base,
        lostSlices(1),
        "§5.4 §5.5 §6.9.5",
        "slice 1's token_part_length damaged (CRC mismatch): its tokens and its residual are lost");
    byte[] p1 = e.payload(1);
    byte[][] parts = PixelResidual.split(p1);
    byte[] badResidual = p1.clone();
    badResidual[4 + parts[0].length + parts[1].length / 2] ^= 0x21;
    decodes(
        "residual-part-corrupt-pm0",
        e.copy().setPayload(1, badResidual, true).toFile(true),
        base,
        lostResidual(1),
        "§6.9.1 §6.9.5 §6.6",
        "a bit of slice 1's residual part flipped, CRC matching: the tokens decode, the residual"
            + " part fails check_end and adds nothing (kind 0x02)");
    byte[] badTokens = p1.clone();
    SplittableRandom r = new SplittableRandom(3050);
    for (int k = 4; k < 4 + parts[0].length; k++) badTokens[k] = (byte) r.nextInt(256);
    decodes(
        "residual-token-part-corrupt-pm0",
        e.copy().setPayload(1, badTokens, true).toFile(true),
        base,
        undecodable(1),
        "§6.9.1 §6.9.5 §6.6",
        "slice 1's token part replaced by random bytes, CRC matching: the tokens fail (UNDECODABLE),"
            + " so the slice is lost and its intact residual part adds nothing (kind 0x02)");
    byte[] tooLong = p1.clone();
    int n = parts[0].length + parts[1].length + 1;
    tooLong[0] = (byte) (n >>> 24);
    tooLong[1] = (byte) (n >>> 16);
    tooLong[2] = (byte) (n >>> 8);
    tooLong[3] = (byte) n;
    decodes(
        "residual-token-part-past-end-pm0",
        e.copy().setPayload(1, tooLong, true).toFile(true),
        base,
        undecodable(1),
        "§6.9.1 §5.5",
        "slice 1's token_part_length one past the payload, CRC matching: UNDECODABLE");
    decodes(
        "residual-payload-3-bytes-pm0",
        e.copy().setPayload(1, new byte[] {0, 0, 0}, true).toFile(true),
        base,
        undecodable(1),
        "§6.9.1 §5.5",
        "slice 1's payload of 3 bytes, too short for token_part_length: UNDECODABLE");
  }

  /** Malformed type-4 blocks and the payload limit (Spec §9.6.4, §A.2, §C.4). */
  private void invalid(Picture base, byte[] b) throws IOException {
    String inv = ErrorCategory.INVALID_HEADER.name();
    HeaderEditor e = HeaderEditor.parse(b);
    String[][] bad = {
      {
        "err-pixel-residual-ignorable",
        "0004",
        "00a00140",
        "type 4 without the critical flag",
        "type"
      },
      {
        "err-pixel-residual-length-3", "8004", "00a001", "a 3-byte pixel-residual payload", "length"
      },
      {"err-pixel-residual-luma-step-0", "8004", "00000140", "luma_step 0", "payload"},
      {"err-pixel-residual-chroma-step-0", "8004", "00a00000", "chroma_step 0", "payload"}
    };
    for (String[] c : bad) {
      byte[] payload = HexFormat.of().parseHex(c[2]);
      HeaderEditor x =
          e.copy().replaceExtension(0, java.util.HexFormat.of().parseHex(c[1]), payload);
      refuses(
          c[0],
          x.toFile(true),
          inv,
          x.offset("extension[0].extension_" + c[4]),
          c[4].equals("type") ? "§9.4 §9.6.4" : "§9.6.4",
          c[3] + " in the base residual stream (version_minor 6)");
    }
    HeaderEditor twice =
        e.copy().addExtensions(HeaderEditor.Block.of(0x8004, new byte[] {0, 4, 0, 4}));
    refuses(
        "err-pixel-residual-twice",
        twice.toFile(true),
        inv,
        twice.offset("extension[1].extension_type"),
        "§9.6.4",
        "two pixel-residual blocks");
    // Spec §A.2: one past the limit of a 5-cell slice with a residual.
    int limit = Limits.maxSlicePayload(5, 1, 0);
    byte[] junk = new byte[limit + 1];
    new SplittableRandom(3040).nextBytes(junk);
    HeaderEditor over = e.copy().setPayload(0, junk, true);
    refuses(
        "err-pixel-residual-payload-length-limit",
        over.toFile(true),
        inv,
        over.offset("slice[0].payload_length"),
        "§5.2 §9.6.4 §A.2",
        "payload_length "
            + (limit + 1)
            + " for a 5-cell slice with a residual (limit 64 + 4 + (32 + 4864) * 5 = "
            + limit
            + ")");
  }

  // ---------------------------------------------------------------- building

  private enum Detail {
    TEXTURE,
    EXTREMES
  }

  private static Picture picture(
      int w,
      int h,
      int shift,
      boolean gray,
      int rowsPerSlice,
      int lumaStep,
      int chromaStep,
      long seed,
      Detail detail) {
    SplittableRandom r = new SplittableRandom(seed);
    int f = 1 << shift;
    TokenGrid g = new TokenGrid((w + f - 1) / f, (h + f - 1) / f, 256);
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        boolean fine = r.nextBoolean();
        g.setFine(cx, cy, fine);
        if (fine) {
          for (int q = 0; q < 4; q++)
            g.setFineToken(2 * cx + (q & 1), 2 * cy + (q >> 1), r.nextInt(256));
        } else {
          g.setCoarseToken(cx, cy, r.nextInt(256));
        }
      }
    }
    int n = (g.cellsHigh() + rowsPerSlice - 1) / rowsPerSlice;
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) rows[i] = Math.min(rowsPerSlice, g.cellsHigh() - i * rowsPerSlice);
    int[] src = new int[w * h];
    int[] palette = {0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p;
        if (detail == Detail.EXTREMES) {
          p = palette[((x / 8) + (y / 8) * 3 + r.nextInt(2)) % palette.length];
        } else {
          int red = (int) (128 + 90 * Math.sin(x * 0.4 + y * 0.1)) + r.nextInt(31) - 15;
          int green = (int) (128 + 80 * Math.cos(y * 0.3 - x * 0.05)) + r.nextInt(31) - 15;
          int blue = (x * 7 + y * 3) & 255;
          p = clamp(red) << 16 | clamp(green) << 8 | clamp(blue);
        }
        if (gray) {
          int v = (p >> 8) & 255;
          p = v << 16 | v << 8 | v;
        }
        src[y * w + x] = p;
      }
    }
    return new Picture(
        g, rows, w, h, shift, gray, src, new PixelResidual.Steps(lumaStep, chromaStep));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /**
   * The stream of {@code p}: order-0 token parts, residual parts of the source against a zero
   * synthesis (the decoder's residual does not depend on what it is added to), empty in the slices
   * of {@code emptyParts}.
   */
  private byte[] write(Picture p, int[] emptyParts) throws IOException {
    List<Extension> ext = new ArrayList<>();
    if (p.shift > 0) ext.add(ContainerHeader.codedResolution(p.shift));
    ext.add(ContainerHeader.pixelResidual(p.steps.luma(), p.steps.chroma()));
    ContainerHeader h =
        new ContainerHeader(
            PictureHeader.still(p.width, p.height, p.gray ? ChannelFormat.GRAY : ChannelFormat.RGB),
            model,
            new TokenGridParams(256, MIXED, PM0),
            ext);
    List<Slice> slices = new ArrayList<>();
    int first = 0, f = 1 << p.shift;
    for (int i = 0; i < p.rows.length; i++) {
      int n = p.rows[i];
      byte[] tokens = SliceCoder.encode(null, p.grid, first, n, MIXED);
      int y0 = 16 * f * first, y1 = Math.min(p.height, 16 * f * (first + n));
      int slice = i;
      boolean empty = emptyParts != null && Arrays.stream(emptyParts).anyMatch(k -> k == slice);
      byte[] residual =
          empty
              ? new byte[0]
              : PixelResidual.encode(
                  p.steps,
                  0.18,
                  p.gray,
                  p.width,
                  y0,
                  y1,
                  (y, row) -> System.arraycopy(p.source, y * p.width, row, 0, p.width),
                  (y, row) -> Arrays.fill(row, 0));
      slices.add(new Slice(first, n, PixelResidual.payload(tokens, residual)));
      first += n;
    }
    return ContainerWriter.write(h, slices);
  }

  // ---------------------------------------------------------------- expected outputs

  /** What a vector's slices come to: outcomes, and which residual parts the decoder must drop. */
  private record Outcome(List<String> slices, int lostTokens, int lostResidual) {}

  private static Outcome lostSlices(int i) {
    return new Outcome(null, i, i);
  }

  private static Outcome lostResidual(int i) {
    return new Outcome(null, -1, i);
  }

  private static Outcome undecodable(int i) {
    return new Outcome(List.of("UNDECODABLE"), i, i);
  }

  private void valid(String name, byte[] b, Picture p, String sections, String description)
      throws IOException {
    decodes(name, b, p, new Outcome(null, -1, -1), sections, description);
  }

  /**
   * Adds a decode vector: the decoded grid must be {@code p}'s (less the lost slice's cells), and
   * every residual sample that is not lost must lie within the quantiser's reach of the coded
   * difference; the expected output is the grid's serialisation and the decoded residual (§C.2.2).
   */
  private void decodes(
      String name, byte[] b, Picture p, Outcome o, String sections, String description)
      throws IOException {
    DecodedTokens t = TokenDecoder.decode(new ByteArrayInputStream(b), LossSimulation.NONE, null);
    TokenGrid want = copy(p.grid);
    List<String> outcomes = new ArrayList<>();
    int first = 0;
    for (int i = 0; i < p.rows.length; i++) {
      String expected =
          i != o.lostTokens ? "DECODED" : o.slices != null ? o.slices.get(0) : "DAMAGED";
      outcomes.add(expected);
      if (!t.slices().get(i).outcome().name().equals(expected)) {
        throw new IOException(name + ": slice " + i + " " + t.slices().get(i).outcome());
      }
      if (i == o.lostTokens) want = lose(want, first, p.rows[i]);
      boolean residualLost = i == o.lostResidual;
      byte[] part = t.residualParts().get(i);
      if (!residualLost && part != null && part.length > 0) check(name, p, part, first, p.rows[i]);
      first += p.rows[i];
    }
    if (!Arrays.equals(TokenDump.serialize(t.grid()), TokenDump.serialize(want))) {
      throw new IOException(name + ": the decoded grid is not the coded one");
    }
    byte[] dump = TokenDump.serialize(t);
    int tokenBytes = TokenDump.serialize(want).length;
    // The residual kinds in the dump: 0x02 exactly for the slice that loses its residual.
    int at = tokenBytes;
    first = 0;
    for (int i = 0; i < p.rows.length; i++) {
      int kind = dump[at++];
      if ((kind == TokenDump.RESIDUAL_LOST) != (i == o.lostResidual)) {
        throw new IOException(name + ": slice " + i + " residual kind " + kind);
      }
      if (kind == TokenDump.RESIDUAL_SAMPLES) {
        int f = 1 << p.shift;
        int y0 = 16 * f * first, y1 = Math.min(p.height, 16 * f * (first + p.rows[i]));
        at += 2 * (y1 - y0) * p.width * (p.gray ? 1 : 3);
      }
      first += p.rows[i];
    }
    if (at != dump.length) throw new IOException(name + ": residual dump of " + dump.length);
    String file = name + ".vqc";
    Files.write(out.resolve(file), b);
    entries.add(
        Manifest.Entry.decoded(
            file,
            b,
            String.join(",", outcomes),
            t.endCodeValid() ? "ok" : "warn",
            TokenDump.sha256(dump),
            sections,
            description));
  }

  /**
   * The part's residual added to a mid-gray picture lands within a few steps of the source (the
   * residual codes the source against zero): a decoder-side check that the vector codes what it
   * says.
   */
  private static void check(String name, Picture p, byte[] part, int firstRow, int rows)
      throws IOException {
    int f = 1 << p.shift, w = p.width;
    int y0 = 16 * f * firstRow, y1 = Math.min(p.height, 16 * f * (firstRow + rows));
    double se = 0;
    long n = 0;
    int[][] got = new int[p.height][];
    try {
      PixelResidual.decode(
          part,
          0,
          part.length,
          p.steps,
          p.gray,
          w,
          y0,
          y1,
          (y, row) -> Arrays.fill(row, 0),
          (y, row) -> got[y] = row.clone());
    } catch (io.vqcodec.entropy.EntropyDecodingException e) {
      throw new IOException(name + ": residual part does not decode", e);
    }
    for (int y = y0; y < y1; y++) {
      for (int x = 0; x < w; x++) {
        int a = p.source[y * w + x], c = got[y][x];
        for (int s = 0; s < 24; s += 8) {
          int d = ((a >> s) & 255) - ((c >> s) & 255);
          se += d * d;
          n++;
        }
      }
    }
    // Quantisation error of a uniform quantiser: about step^2 / 12 per coefficient, in pixel units
    // (steps are quarter units); allow four times that plus the rounding of §6.9.4 and the clamp.
    double step = Math.max(p.steps.luma(), p.gray ? 0 : p.steps.chroma()) / 4.0;
    double bound = 4 * (step * step / 12) + 2;
    if (se / n > bound) {
      throw new IOException(name + ": residual error " + se / n + " above " + bound);
    }
  }

  private static TokenGrid copy(TokenGrid g) {
    TokenGrid c = new TokenGrid(g.width(), g.height(), g.codebookSize());
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        boolean fine = g.isFine(cx, cy);
        c.setFine(cx, cy, fine);
        if (fine) {
          for (int q = 0; q < 4; q++) {
            int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1);
            c.setFineToken(fx, fy, g.fineToken(fx, fy));
          }
        } else {
          c.setCoarseToken(cx, cy, g.coarseToken(cx, cy));
        }
      }
    }
    return c;
  }

  private static TokenGrid lose(TokenGrid g, int first, int n) {
    for (int cy = first; cy < first + n; cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        g.setFine(cx, cy, false);
        g.setCoarseToken(cx, cy, TokenGrid.LOST);
      }
    }
    return g;
  }

  private void refuses(
      String name, byte[] b, String category, long offset, String sections, String description)
      throws IOException {
    String file = name + ".vqc";
    Files.write(out.resolve(file), b);
    entries.add(Manifest.Entry.refusal(file, b, category, offset, sections, description));
  }
}
