package io.vqcodec.conformance;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.entropy.EntropyDecodingException;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.PixelResidual;
import io.vqcodec.tokens.SliceReport;
import io.vqcodec.tokens.TokenGrid;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The canonical token serialisation of Spec §C.2: the normative output of a decoder as bytes, so
 * that any implementation can compare its token grid with the reference by one SHA-256.
 *
 * <pre>
 * u32 width, u32 height, u32 K                       (big-endian)
 * per cell, raster order (cy outer, cx inner):
 *   lost cell:   u8 0x02
 *   coarse cell: u8 0x00, u16 coarse_token
 *   fine cell:   u8 0x01, u16 fine_token[k] for k = 0..3 (top left, top right, bottom left, bottom right)
 *   fine cell of n &gt; 1 residual stages (Spec §6.8): u8 0x03, u8 n, u16 fine_token[k] for k = 0..3,
 *                then u16 stage_token[s][k] for s = 2..n, k = 0..3
 * </pre>
 *
 * A cell is lost when any of its coded tokens is {@link TokenGrid#LOST}; under Spec §5.5 that means
 * all of them, and the granularity of a lost cell is not part of the output.
 */
public final class TokenDump {
  /** Cell marker bytes of Spec §C.2. */
  public static final int COARSE = 0x00, FINE = 0x01, LOST = 0x02, STAGED = 0x03;

  private TokenDump() {}

  /** The serialisation of {@code grid}. */
  public static byte[] serialize(TokenGrid grid) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(12 + 9 * grid.cellsWide() * grid.cellsHigh());
    u32(out, grid.width());
    u32(out, grid.height());
    u32(out, grid.codebookSize());
    for (int cy = 0; cy < grid.cellsHigh(); cy++) {
      for (int cx = 0; cx < grid.cellsWide(); cx++) {
        if (grid.isFine(cx, cy)) {
          int n = grid.cellStages(cx, cy);
          int[] t = new int[4 * n];
          boolean lost = false;
          for (int s = 1; s <= n; s++) {
            for (int k = 0; k < 4; k++) {
              int fx = 2 * cx + (k & 1), fy = 2 * cy + (k >> 1);
              t[4 * (s - 1) + k] = s == 1 ? grid.fineToken(fx, fy) : grid.stageToken(s, fx, fy);
              lost |= t[4 * (s - 1) + k] == TokenGrid.LOST;
            }
          }
          if (lost) {
            out.write(LOST);
          } else {
            out.write(n == 1 ? FINE : STAGED);
            if (n > 1) out.write(n);
            for (int v : t) u16(out, v);
          }
        } else {
          int t = grid.coarseToken(cx, cy);
          if (t == TokenGrid.LOST) {
            out.write(LOST);
          } else {
            out.write(COARSE);
            u16(out, t);
          }
        }
      }
    }
    return out.toByteArray();
  }

  /** Lower-case hexadecimal SHA-256 of {@link #serialize}. */
  public static String sha256(TokenGrid grid) {
    return sha256(serialize(grid));
  }

  /** Residual kinds of Spec §C.2.2. */
  public static final int RESIDUAL_EMPTY = 0x00, RESIDUAL_SAMPLES = 0x01, RESIDUAL_LOST = 0x02;

  /**
   * A decoded picture's output: {@link #serialize(TokenGrid)} of its grid, then, with a pixel
   * residual (Spec §9.6.4), every slice's residual samples (Spec §C.2.2).
   */
  public static byte[] serialize(DecodedTokens t) {
    byte[] grid = serialize(t.grid());
    ContainerHeader h = t.header();
    if (!h.hasPixelResidual()) return grid;
    ByteArrayOutputStream out = new ByteArrayOutputStream(grid.length + 64);
    out.writeBytes(grid);
    PixelResidual.Steps steps =
        new PixelResidual.Steps(h.residualLumaStep(), h.residualChromaStep());
    boolean gray = h.picture().channelFormat() == ChannelFormat.GRAY;
    int width = h.picture().width(), height = h.picture().height();
    int f = 1 << h.resolutionShift();
    for (int i = 0; i < t.slices().size(); i++) {
      SliceReport s = t.slices().get(i);
      byte[] part = t.residualParts().get(i);
      if (part == null) {
        out.write(RESIDUAL_LOST);
        continue;
      }
      if (part.length == 0) {
        out.write(RESIDUAL_EMPTY);
        continue;
      }
      int y0 = 16 * f * s.firstRow(), y1 = Math.min(height, 16 * f * (s.firstRow() + s.rowCount()));
      ByteArrayOutputStream samples = new ByteArrayOutputStream();
      try {
        PixelResidual.decodePlanes(
            part,
            0,
            part.length,
            steps,
            gray,
            width,
            y0,
            y1,
            (y, planes, off) -> {
              for (int x = 0; x < width; x++) {
                for (int[] plane : planes) u16(samples, plane[off + x] & 0xFFFF);
              }
            });
      } catch (EntropyDecodingException e) {
        out.write(RESIDUAL_LOST); // Spec §6.9.5: a part that fails adds nothing
        continue;
      }
      out.write(RESIDUAL_SAMPLES);
      out.writeBytes(samples.toByteArray());
    }
    return out.toByteArray();
  }

  /** Lower-case hexadecimal SHA-256 of {@link #serialize(DecodedTokens)}. */
  public static String sha256(DecodedTokens t) {
    return sha256(serialize(t));
  }

  /** Lower-case hexadecimal SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e); // every JVM has SHA-256
    }
  }

  private static void u32(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }
}
