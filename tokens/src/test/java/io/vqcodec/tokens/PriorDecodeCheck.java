package io.vqcodec.tokens;

import io.vqcodec.container.GranularityMode;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Decodes a payload with the default prior and prints the SHA-256 of the decoded indices; run in a
 * subprocess under another JVM by {@link CrossJvmTest}. Args: payload K width height mode firstRow
 * rowCount.
 */
public final class PriorDecodeCheck {
  private PriorDecodeCheck() {}

  public static void main(String[] a) throws Exception {
    byte[] payload = Files.readAllBytes(Paths.get(a[0]));
    int k = Integer.parseInt(a[1]), w = Integer.parseInt(a[2]), h = Integer.parseInt(a[3]);
    GranularityMode mode = GranularityMode.valueOf(a[4]);
    int first = Integer.parseInt(a[5]), rows = Integer.parseInt(a[6]);
    TokenGrid g = new TokenGrid(w, h, k);
    SliceCoder.decode(
        ModelRegistry.builtIn().byName("tok-v1").orElseThrow().prior(),
        payload,
        g,
        first,
        rows,
        mode);
    System.out.println(digest(g, first, rows));
  }

  /**
   * SHA-256 over the rows' cells in raster order: flag byte, then the cell's tokens as u16
   * big-endian.
   */
  static String digest(TokenGrid g, int first, int rows) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int cy = first; cy < first + rows; cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        boolean f = g.isFine(cx, cy);
        md.update((byte) (f ? 1 : 0));
        if (f) {
          for (int k = 0; k < 4; k++) {
            int t = g.fineToken(2 * cx + (k & 1), 2 * cy + (k >> 1));
            md.update(new byte[] {(byte) (t >> 8), (byte) t});
          }
        } else {
          int t = g.coarseToken(cx, cy);
          md.update(new byte[] {(byte) (t >> 8), (byte) t});
        }
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
