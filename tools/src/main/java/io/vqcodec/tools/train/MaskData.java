package io.vqcodec.tools.train;

import io.vqcodec.neural.MaskNet;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Training windows for {@link MaskNet}: token grids from a token corpus file ({@code TokenCorpus}
 * format, read here directly because {@code models} cannot depend on {@code tokenizer}), random
 * crops, random granularity maps and random loss masks.
 *
 * <p>Masks (unit = one fine token, or one coarse cell = its 4 positions): 50% uniform random at a
 * rate drawn from U(0.05, 0.5); 25% bursts of 1-3 whole cell rows of the window (lost slices), plus
 * 0-10% random; 25% a rectangle of 1-6 x 1-6 cells, plus 0-10% random. At least one unit is masked.
 */
final class MaskData {
  /** One picture: per level, the fine grid (fw x fh) and the coarse grid (fw/2 x fh/2). */
  record Grid(int fw, int fh, int[][] fine, int[][] coarse) {}

  final List<Grid> grids = new ArrayList<>();

  static MaskData load(Path tok, int minSide) throws IOException {
    MaskData d = new MaskData();
    try (InputStream raw = Files.newInputStream(tok);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
      if (in.readInt() != 0x56515443) throw new IOException("not a token corpus: " + tok);
      in.readInt();
      while (true) {
        int nl;
        try {
          nl = in.readUnsignedShort();
        } catch (EOFException e) {
          break;
        }
        in.skipNBytes(nl);
        int w = in.readInt(), h = in.readInt(), levels = in.readUnsignedByte();
        int cw = (w + 15) / 16, ch = (h + 15) / 16;
        int[][] fine = new int[MaskNet.LEVELS.length][], coarse = new int[MaskNet.LEVELS.length][];
        for (int l = 0; l < levels; l++) {
          int k = in.readInt();
          int[] f = new int[4 * cw * ch], c = new int[cw * ch];
          for (int i = 0; i < f.length; i++) f[i] = in.readUnsignedShort();
          for (int i = 0; i < c.length; i++) c[i] = in.readUnsignedShort();
          int li = MaskNet.levelIndex(k);
          if (li >= 0) {
            fine[li] = f;
            coarse[li] = c;
          }
        }
        if (2 * cw >= minSide && 2 * ch >= minSide)
          d.grids.add(new Grid(2 * cw, 2 * ch, fine, coarse));
      }
    }
    return d;
  }

  /**
   * Fills one window of side s (even) at level index li: tokens (vocabulary ids with the mask id at
   * masked positions), coarse flags, targets (vocabulary-relative to the level) and masked flags.
   */
  static void sample(
      Random rnd,
      Grid g,
      int li,
      int s,
      long[] tok,
      long[] coarse,
      int[] target,
      boolean[] masked,
      int at) {
    int k = MaskNet.LEVELS[li], off = MaskNet.offset(k);
    int x0 = 2 * rnd.nextInt((g.fw - s) / 2 + 1), y0 = 2 * rnd.nextInt((g.fh - s) / 2 + 1);
    int cs = s / 2;
    boolean[] cellCoarse = new boolean[cs * cs];
    double u = rnd.nextDouble();
    if (u >= 0.5) {
      double pc = u < 0.7 ? 1.0 : rnd.nextDouble();
      for (int i = 0; i < cellCoarse.length; i++) cellCoarse[i] = rnd.nextDouble() < pc;
    }
    boolean[] m = new boolean[s * s];
    double t = rnd.nextDouble();
    double rate = t < 0.5 ? 0.05 + 0.45 * rnd.nextDouble() : 0.1 * rnd.nextDouble();
    if (t >= 0.5 && t < 0.75) {
      int rows = 1 + rnd.nextInt(3), r0 = rnd.nextInt(cs - rows + 1);
      for (int y = 2 * r0; y < 2 * (r0 + rows); y++)
        for (int x = 0; x < s; x++) m[y * s + x] = true;
    } else if (t >= 0.75) {
      int rw = 1 + rnd.nextInt(6), rh = 1 + rnd.nextInt(6);
      int cx0 = rnd.nextInt(cs - rw + 1), cy0 = rnd.nextInt(cs - rh + 1);
      for (int y = 2 * cy0; y < 2 * (cy0 + rh); y++)
        for (int x = 2 * cx0; x < 2 * (cx0 + rw); x++) m[y * s + x] = true;
    }
    for (int cy = 0; cy < cs; cy++) {
      for (int cx = 0; cx < cs; cx++) {
        if (cellCoarse[cy * cs + cx]) {
          boolean lost = rnd.nextDouble() < rate;
          for (int j = 0; j < 4; j++) m[(2 * cy + j / 2) * s + 2 * cx + j % 2] |= lost;
          // a coarse cell is one unit: lost together
          boolean any = false;
          for (int j = 0; j < 4; j++) any |= m[(2 * cy + j / 2) * s + 2 * cx + j % 2];
          for (int j = 0; j < 4; j++) m[(2 * cy + j / 2) * s + 2 * cx + j % 2] = any;
        } else {
          for (int j = 0; j < 4; j++)
            if (rnd.nextDouble() < rate) m[(2 * cy + j / 2) * s + 2 * cx + j % 2] = true;
        }
      }
    }
    boolean anyMasked = false;
    for (boolean b : m) anyMasked |= b;
    if (!anyMasked) {
      int i = rnd.nextInt(s * s);
      int cy = i / s / 2, cx = i % s / 2;
      if (cellCoarse[cy * cs + cx]) {
        for (int j = 0; j < 4; j++) m[(2 * cy + j / 2) * s + 2 * cx + j % 2] = true;
      } else {
        m[i] = true;
      }
    }
    int cwFull = g.fw / 2;
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        int fx = x0 + x, fy = y0 + y, i = y * s + x;
        boolean c = cellCoarse[(y / 2) * cs + x / 2];
        int v = c ? g.coarse[li][(fy / 2) * cwFull + fx / 2] : g.fine[li][fy * g.fw + fx];
        target[at + i] = v;
        masked[at + i] = m[i];
        tok[at + i] = m[i] ? MaskNet.VOCAB : off + v;
        coarse[at + i] = c ? 1 : 0;
      }
    }
  }
}
