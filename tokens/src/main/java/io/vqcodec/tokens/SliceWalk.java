package io.vqcodec.tokens;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.Cdf;
import io.vqcodec.entropy.EntropyDecodingException;

/**
 * slice_data() under prob_model_id 2 (Spec §8.3.2.4) and 3 (Spec §8.3.3.5, the same symbol order
 * with two symbols per token and an escape to raw tokens), written once: the encoder, the decoder
 * and the offline tools (prior fitting, cost reports) are subclasses that only say what to do with
 * each symbol, so they cannot drift apart. Public for those tools; a decoder uses {@link
 * SliceCoder}.
 */
public abstract class SliceWalk {
  /** Every component of every pass enabled (Spec §8.3.2.4); ablations pass fewer. */
  static final int[] ALL = {0x3F, 0x3F, 0x3F};

  /** A fresh copy of {@link #ALL}: the neighbour components enabled per pass. */
  public static int[] allComponents() {
    return ALL.clone();
  }

  /** Codes (encoder) or decodes (decoder) one granularity flag; returns it. */
  protected abstract boolean flag(AdaptiveBinaryModel m, boolean isFine)
      throws EntropyDecodingException;

  /** Codes or decodes one token with {@code cdf}; {@code value} is the grid's current token. */
  protected abstract int token(Cdf cdf, int value) throws EntropyDecodingException;

  /**
   * Codes or decodes {@code n} raw bits (Spec §7.5): the escape flag and escaped tokens of
   * prob_model_id 3 (Spec §8.3.3.5) and the stage tokens of Spec §6.8.3. Walks that never meet them
   * need not override this.
   */
  protected int bits(int n, int value) throws EntropyDecodingException {
    throw new IllegalStateException("this walk does not code raw bits");
  }

  private PmfBuilder pb;
  private TwoStagePmf ts;
  private TwoStagePrior.Level tsLevel;
  private boolean escaped;
  private boolean useReference; // Spec §8.3.3.5 temporal_on
  private int tokenBits;
  private int[] enabled;

  /**
   * One token of pass {@code pass} with available neighbours {@code nb[i]} for the bits i of {@code
   * mask} and, in a predicted or motion frame, the reference token {@code ref} that its same flag
   * of 0 ruled out (Spec §10.4; -1 if there is none or it is lost); by default builds its CDF (Spec
   * §8.3.2.5, §8.3.3.4) and calls {@link #token(Cdf, int)}.
   */
  protected int token(int pass, int mask, int[] nb, int ref, int value)
      throws EntropyDecodingException {
    if (escaped) return bits(tokenBits, value); // Spec §8.3.3.5: a raw token
    if (ts != null) return twoStageToken(pass, mask, nb, ref, value);
    int t = token(pb.cdf(pass, mask, nb), value);
    pb.update(pass, t);
    return t;
  }

  /**
   * Spec §8.3.3.5 decode_token3(): the group, then (in a group of two or more codewords) the rank,
   * with the reference token as a context where the level has a temporal expert (Spec §8.3.3.4);
   * {@code value} only matters to an encoder, which passes a valid token.
   */
  private int twoStageToken(int pass, int mask, int[] nb, int ref, int value)
      throws EntropyDecodingException {
    TwoStagePrior.Level lv = tsLevel;
    int r = useReference ? ref : -1;
    boolean known = value >= 0 && value < lv.k;
    int s = lv.groups == 1 ? 0 : token(ts.groupCdf(pass, mask, nb, r), known ? lv.group[value] : 0);
    int[] m = lv.members[s];
    int q = 0;
    if (m.length > 1) {
      q =
          token(
              ts.rankCdf(pass, mask, nb, s, r), known && lv.group[value] == s ? lv.rank[value] : 0);
    }
    int t = m[q];
    ts.update(pass, t);
    return t;
  }

  /**
   * Spec §8.3.2.4; {@code lv} may be null for a subclass that overrides {@link #token(int, int,
   * int[], int)}.
   */
  public final void run(
      ContextPrior.Level lv,
      int[] enabled,
      TokenGrid g,
      int firstRow,
      int rowCount,
      GranularityMode mode)
      throws EntropyDecodingException {
    run(lv, enabled, g, firstRow, rowCount, mode, null);
  }

  /**
   * Spec §8.3.3.5, slice_data() under prob_model_id 3, or with {@code temporal} the predicted-frame
   * syntax of Spec §10.4 around it. {@code escape} and {@code withReference} are the escape flag
   * and (in a predicted or motion slice of a level with the temporal expert) the temporal_on flag
   * an encoder codes; a decoder passes false and gets the coded ones.
   */
  final void run(
      TwoStagePrior.Level lv,
      boolean escape,
      boolean withReference,
      TokenGrid g,
      int firstRow,
      int rowCount,
      GranularityMode mode,
      Temporal temporal)
      throws EntropyDecodingException {
    if (g.codebookSize() != lv.k)
      throw new IllegalArgumentException("grid K " + g.codebookSize() + " != " + lv.k);
    this.escaped = bits(1, escape ? 1 : 0) == 1; // model_escape, Spec §8.3.3.5
    // temporal_on, Spec §8.3.3.5: whether the slice's tokens use their reference tokens
    this.useReference =
        !escaped && temporal != null && lv.hasTemporal() && bits(1, withReference ? 1 : 0) == 1;
    this.tokenBits = Integer.numberOfTrailingZeros(lv.k);
    this.tsLevel = lv;
    this.ts = escaped ? null : new TwoStagePmf(lv);
    walk(null, ALL, g, firstRow, rowCount, mode, temporal);
  }

  /**
   * The predicted-frame syntax of Spec §10.4 (with {@code motion}, the motion frame's of Spec
   * §10.9.1) around Spec §8.3.2.4, over a frame's decoded grid {@code g}, its {@code reference} and
   * its skip flags, for a subclass that overrides {@link #token(int, int, int[], int, int)} (model
   * fitting): every symbol is visited with the value the grid holds.
   */
  public final void runPredicted(
      TokenGrid g,
      TokenGrid reference,
      boolean[] skip,
      MotionField motion,
      int firstRow,
      int rowCount,
      GranularityMode mode)
      throws EntropyDecodingException {
    Temporal t =
        motion == null
            ? new Temporal(reference, skip.clone())
            : new Temporal(reference, motion, mode);
    run((ContextPrior.Level) null, ALL, g, firstRow, rowCount, mode, t);
  }

  /**
   * Spec §8.3.2.4, or with {@code temporal} the predicted-frame syntax of Spec §10.4 around it:
   * skip flags first, then only the cells not skipped, each token of a cell whose reference has its
   * granularity preceded by a same flag (a token equal to its reference is not coded and does not
   * update the slice counts).
   */
  final void run(
      ContextPrior.Level lv,
      int[] enabled,
      TokenGrid g,
      int firstRow,
      int rowCount,
      GranularityMode mode,
      Temporal temporal)
      throws EntropyDecodingException {
    this.pb = lv == null ? null : new PmfBuilder(lv);
    this.ts = null;
    this.escaped = false;
    this.useReference = false;
    walk(lv, enabled, g, firstRow, rowCount, mode, temporal);
  }

  private void walk(
      ContextPrior.Level lv,
      int[] enabled,
      TokenGrid g,
      int firstRow,
      int rowCount,
      GranularityMode mode,
      Temporal temporal)
      throws EntropyDecodingException {
    int cw = g.cellsWide();
    int lastRow = firstRow + rowCount; // exclusive
    if (firstRow < 0 || rowCount < 1 || lastRow > g.cellsHigh()) {
      throw new IllegalArgumentException(
          "rows [" + firstRow + ", " + lastRow + ") outside 0.." + g.cellsHigh());
    }
    if (lv != null && g.codebookSize() != lv.k)
      throw new IllegalArgumentException("grid K " + g.codebookSize() + " != " + lv.k);
    if (temporal != null) temporal.skipFlags(this::flag, g, firstRow, rowCount);
    StageSyntax stages = StageSyntax.forSlice(g, temporal); // Spec §6.8.2
    // 1. granularity (Spec §6.4 contexts, flags of the whole slice first), each fine cell's stage
    // flags right after its granularity (Spec §6.8.2)
    AdaptiveBinaryModel[] gm = new AdaptiveBinaryModel[4];
    for (int i = 0; i < 4; i++) gm[i] = new AdaptiveBinaryModel();
    for (int cy = firstRow; cy < lastRow; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        boolean fine;
        if (mode == GranularityMode.MIXED) {
          if (temporal != null && temporal.skipped(g, cx, cy)) continue;
          int ctx = Order0SliceWalk.granularityContext(g, cx, cy, firstRow);
          fine = flag(gm[ctx], g.isFine(cx, cy));
        } else {
          fine = mode == GranularityMode.ALL_FINE;
        }
        g.setFine(cx, cy, fine);
        if (fine && stages != null) stages.flags(this::flag, g, cx, cy, firstRow);
      }
    }
    this.enabled = enabled;
    int[] nb = new int[6];
    // 2. pass 0: coarse tokens, raster order; neighbours L, A, AL, AR
    for (int cy = firstRow; cy < lastRow; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        if (g.isFine(cx, cy) || (temporal != null && temporal.skipped(g, cx, cy))) continue;
        int ref = -1; // no reference token; a lost one is TokenGrid.LOST, also -1: no context
        if (temporal != null && temporal.hasSameFlag(cx, cy, false)) {
          ref = temporal.reference.coarseToken(cx, cy);
          if (flag(temporal.sameModel[0], g.coarseToken(cx, cy) == ref)) {
            g.setCoarseToken(cx, cy, ref); // Spec §10.4: the reference token, not coded
            continue;
          }
        }
        int mask = 0;
        mask |= coarseNb(g, cx - 1, cy, firstRow, nb, 0);
        mask |= coarseNb(g, cx, cy - 1, firstRow, nb, 1);
        mask |= coarseNb(g, cx - 1, cy - 1, firstRow, nb, 2);
        mask |= coarseNb(g, cx + 1, cy - 1, firstRow, nb, 3);
        g.setCoarseToken(cx, cy, token(0, mask & enabled[0], nb, ref, g.coarseToken(cx, cy)));
      }
    }
    // 3. passes 1 and 2: fine tokens with (fx + fy) even, then odd, raster order over the slice's
    // fine rows
    int fw = g.fineWide();
    int fy0 = 2 * firstRow, fy1 = 2 * lastRow;
    for (int pass = 1; pass <= 2; pass++) {
      int parity = pass - 1;
      for (int fy = fy0; fy < fy1; fy++) {
        for (int fx = (fy + parity) & 1; fx < fw; fx += 2) {
          if (!g.isFine(fx >> 1, fy >> 1)) continue;
          int ref = -1;
          if (temporal != null) {
            if (temporal.skipped(g, fx >> 1, fy >> 1)) continue;
            if (temporal.hasSameFlag(fx >> 1, fy >> 1, true)) {
              ref = temporal.reference.fineToken(fx, fy);
              if (flag(temporal.sameModel[1], g.fineToken(fx, fy) == ref)) {
                g.setFineToken(fx, fy, ref);
                continue;
              }
            }
          }
          int mask = 0;
          if (pass == 1) {
            mask |= fineNb(g, fx - 2, fy, fy0, fy1, nb, 0);
            mask |= fineNb(g, fx - 1, fy - 1, fy0, fy1, nb, 1);
            mask |= fineNb(g, fx + 1, fy - 1, fy0, fy1, nb, 2);
            mask |= fineNb(g, fx, fy - 2, fy0, fy1, nb, 3);
          } else {
            mask |= fineNb(g, fx - 1, fy, fy0, fy1, nb, 0);
            mask |= fineNb(g, fx + 1, fy, fy0, fy1, nb, 1);
            mask |= fineNb(g, fx, fy - 1, fy0, fy1, nb, 2);
            mask |= fineNb(g, fx, fy + 1, fy0, fy1, nb, 3);
          }
          int cx = fx >> 1, cy = fy >> 1;
          mask |= coarseNb(g, (fx & 1) == 0 ? cx - 1 : cx + 1, cy, firstRow, lastRow, nb, 4);
          mask |= coarseNb(g, cx, (fy & 1) == 0 ? cy - 1 : cy + 1, firstRow, lastRow, nb, 5);
          g.setFineToken(fx, fy, token(pass, mask & enabled[pass], nb, ref, g.fineToken(fx, fy)));
        }
      }
    }
    if (stages != null) StageSyntax.tokens(this::bits, g, firstRow, rowCount); // Spec §6.8.3
  }

  /** A causal coarse neighbour (rows above it in the slice are all coded before it). */
  private static int coarseNb(TokenGrid g, int cx, int cy, int firstRow, int[] nb, int i) {
    return coarseNb(g, cx, cy, firstRow, Integer.MAX_VALUE, nb, i);
  }

  private static int coarseNb(
      TokenGrid g, int cx, int cy, int firstRow, int lastRow, int[] nb, int i) {
    if (cx < 0
        || cx >= g.cellsWide()
        || cy < firstRow
        || cy >= lastRow
        || cy >= g.cellsHigh()
        || g.isFine(cx, cy)
        || g.coarseToken(cx, cy) == TokenGrid.LOST) { // Spec §10.4: a lost token is unavailable
      return 0;
    }
    nb[i] = g.coarseToken(cx, cy);
    return 1 << i;
  }

  private static int fineNb(TokenGrid g, int fx, int fy, int fy0, int fy1, int[] nb, int i) {
    if (fx < 0
        || fx >= g.fineWide()
        || fy < fy0
        || fy >= fy1
        || !g.isFine(fx >> 1, fy >> 1)
        || g.fineToken(fx, fy) == TokenGrid.LOST) {
      return 0;
    }
    nb[i] = g.fineToken(fx, fy);
    return 1 << i;
  }
}
