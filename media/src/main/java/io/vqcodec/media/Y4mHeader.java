package io.vqcodec.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The YUV4MPEG2 stream header, parsed and written in one place so that {@link Y4mSource} and {@link
 * Y4mSink} cannot disagree. Syntax: {@code YUV4MPEG2} then space-separated tags, each a letter and
 * a value ({@code W} width, {@code H} height, {@code F} rate n:d, {@code I} interlacing, {@code A}
 * pixel aspect, {@code C} colour space, {@code X} free-form), ending in a newline. Each frame is
 * {@code FRAME}, optional tags, a newline and the planes Y, Cb, Cr (then alpha for {@code
 * C444alpha}), 16-bit little-endian samples above 8 bits.
 *
 * <p>Tags as FFmpeg reads and writes them: no {@code C} means {@code 420jpeg}; {@code
 * XCOLORRANGE=FULL} marks full range, anything else is limited range. The format carries no colour
 * matrix: BT.601 is the convention (FFmpeg's too). Interlacing and pixel aspect are read and
 * ignored.
 */
record Y4mHeader(
    int width,
    int height,
    int rateNum,
    int rateDen,
    String colourSpace,
    boolean fullRange,
    int log2w,
    int log2h,
    boolean mono,
    boolean alpha,
    int depth,
    double sitingX,
    double sitingY) {

  static final String MAGIC = "YUV4MPEG2";

  /** {@code 420p10}, {@code mono16}, ...: the base name and the bit depth (8 when absent). */
  private static final Pattern COLOUR_SPACE =
      Pattern.compile("(420jpeg|420mpeg2|420paldv|420|411|422|444alpha|444|mono)p?(\\d{1,2})?");

  /** Longest header or frame header line accepted: real ones are under 100 bytes. */
  static final int MAX_LINE = 1024;

  /** The header {@link Y4mSink} writes: 8-bit 4:4:4, full range (BT.601 matrix). */
  static Y4mHeader forWriting(int width, int height, int rateNum, int rateDen) {
    return new Y4mHeader(
        width, height, rateNum, rateDen, "444", true, 0, 0, false, false, 8, 0.5, 0.5);
  }

  byte[] toBytes() {
    String s =
        String.format(
            Locale.ROOT,
            "%s W%d H%d F%d:%d Ip A1:1 C%s%s\n",
            MAGIC,
            width,
            height,
            rateNum,
            rateDen,
            colourSpace,
            fullRange ? " XCOLORRANGE=FULL" : "");
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  int bytesPerSample() {
    return depth > 8 ? 2 : 1;
  }

  int chromaWidth() {
    return YCbCr.chromaSize(width, log2w);
  }

  int chromaHeight() {
    return YCbCr.chromaSize(height, log2h);
  }

  /** Bytes of one frame's planes (without the FRAME line). */
  long frameBytes() {
    long luma = (long) width * height;
    long chroma = mono ? 0 : 2L * chromaWidth() * chromaHeight();
    return (luma * (alpha ? 2 : 1) + chroma) * bytesPerSample();
  }

  /**
   * Parses a header line (without its newline).
   *
   * @throws IOException naming the first tag that is missing or wrong
   */
  static Y4mHeader parse(String line) throws IOException {
    String[] tags = line.split(" ");
    if (!tags[0].equals(MAGIC)) {
      throw new IOException("not a YUV4MPEG2 stream");
    }
    int w = -1, h = -1, num = 0, den = 0;
    String cs = "420jpeg";
    boolean full = false;
    for (int i = 1; i < tags.length; i++) {
      String t = tags[i];
      if (t.isEmpty()) continue;
      String v = t.substring(1);
      switch (t.charAt(0)) {
        case 'W' -> w = positive(v, "width");
        case 'H' -> h = positive(v, "height");
        case 'F' -> {
          int colon = v.indexOf(':');
          if (colon < 0) throw new IOException("bad frame rate tag F" + v);
          num = nonNegative(v.substring(0, colon), "frame rate");
          den = nonNegative(v.substring(colon + 1), "frame rate");
        }
        case 'C' -> cs = v;
        case 'X' -> {
          if (v.equals("COLORRANGE=FULL")) full = true;
          else if (v.equals("COLORRANGE=LIMITED")) full = false;
        }
        default -> {
          // I (interlacing), A (pixel aspect) and unknown tags: ignored, as the format allows.
        }
      }
    }
    if (w < 0 || h < 0) {
      throw new IOException("header has no " + (w < 0 ? "width (W)" : "height (H)"));
    }
    if (num == 0 || den == 0) {
      // F0:0 or no F: unknown rate; FFmpeg assumes 25 fps, and so do we.
      num = 25;
      den = 1;
    }
    return withColourSpace(w, h, num, den, cs, full);
  }

  private static Y4mHeader withColourSpace(int w, int h, int num, int den, String cs, boolean full)
      throws IOException {
    Matcher m = COLOUR_SPACE.matcher(cs);
    if (!m.matches()) throw new IOException("unsupported colour space C" + cs);
    String base = m.group(1);
    int depth = m.group(2) == null ? 8 : Integer.parseInt(m.group(2));
    if (depth < 8 || depth > 16 || (base.startsWith("420") && base.length() > 3 && depth != 8)) {
      throw new IOException("unsupported colour space C" + cs);
    }
    double cen = YCbCr.CENTRED, cos = YCbCr.COSITED;
    return switch (base) {
      case "420jpeg", "420" ->
          new Y4mHeader(w, h, num, den, cs, full, 1, 1, false, false, depth, cen, cen);
      case "420mpeg2" ->
          new Y4mHeader(w, h, num, den, cs, full, 1, 1, false, false, depth, cos, cen);
      case "420paldv" ->
          new Y4mHeader(w, h, num, den, cs, full, 1, 1, false, false, depth, cos, cos);
      case "411" -> new Y4mHeader(w, h, num, den, cs, full, 2, 0, false, false, depth, cos, cen);
      case "422" -> new Y4mHeader(w, h, num, den, cs, full, 1, 0, false, false, depth, cos, cen);
      case "444" -> new Y4mHeader(w, h, num, den, cs, full, 0, 0, false, false, depth, cen, cen);
      case "444alpha" ->
          new Y4mHeader(w, h, num, den, cs, full, 0, 0, false, true, depth, cen, cen);
      case "mono" -> new Y4mHeader(w, h, num, den, cs, full, 0, 0, true, false, depth, cen, cen);
      default -> throw new IOException("unsupported colour space C" + cs);
    };
  }

  private static int positive(String v, String what) throws IOException {
    int n = nonNegative(v, what);
    if (n == 0) throw new IOException("bad " + what + " " + v);
    return n;
  }

  private static int nonNegative(String v, String what) throws IOException {
    try {
      int n = Integer.parseInt(v);
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IOException("bad " + what + " " + v);
  }
}
