package io.vqcodec.media;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads YUV4MPEG2 in pure Java (see {@link Y4mHeader} for the tags): every colour space FFmpeg
 * writes (4:2:0 in its three sitings, 4:1:1, 4:2:2, 4:4:4 with or without alpha, mono) at 8 to 16
 * bits, BT.601 matrix, the range from {@code XCOLORRANGE}. The frame count comes from the file size
 * when every frame header is a bare {@code FRAME} line, else it is -1.
 */
final class Y4mSource implements FrameSource {
  private final Path input;
  private final InputStream in;
  private final Y4mHeader hdr;
  private final long frameCount;
  private final byte[] buf;
  private final int[] y;
  private final int[] cb;
  private final int[] cr;
  private final YCbCr.Taps tx;
  private final YCbCr.Taps ty;
  private long index;

  private Y4mSource(Path input, InputStream in, Y4mHeader hdr, long headerBytes)
      throws IOException {
    this.input = input;
    this.in = in;
    this.hdr = hdr;
    long frame = hdr.frameBytes() + 6;
    long rest = Files.size(input) - headerBytes;
    frameCount = rest % frame == 0 ? rest / frame : -1;
    int w = hdr.width(), h = hdr.height();
    int cw = hdr.chromaWidth(), ch = hdr.chromaHeight();
    buf = new byte[(int) ((long) w * hdr.bytesPerSample())];
    y = new int[w * h];
    cb = hdr.mono() ? null : new int[cw * ch];
    cr = hdr.mono() ? null : new int[cw * ch];
    tx = new YCbCr.Taps(w, hdr.log2w(), hdr.sitingX());
    ty = new YCbCr.Taps(h, hdr.log2h(), hdr.sitingY());
  }

  static Y4mSource open(Path input, long maxPixels) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
    boolean ok = false;
    try {
      String line = readLine(in);
      if (line == null) throw new IOException(input + ": empty file");
      Y4mHeader hdr;
      try {
        hdr = Y4mHeader.parse(line);
      } catch (IOException e) {
        throw new IOException(input + ": bad YUV4MPEG2 header: " + e.getMessage());
      }
      long pixels = (long) hdr.width() * hdr.height();
      // Every plane must also fit a Java array: 2^30 samples at most.
      if (pixels > maxPixels || pixels > 1 << 30) {
        throw new IOException(
            input
                + ": video is "
                + hdr.width()
                + "x"
                + hdr.height()
                + ", over the limit of "
                + Math.min(maxPixels, 1 << 30)
                + " pixels");
      }
      Y4mSource s = new Y4mSource(input, in, hdr, line.length() + 1);
      ok = true;
      return s;
    } finally {
      if (!ok) in.close();
    }
  }

  /** A line without its newline, null at the end of the stream. */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        if (sb.length() == 0) return null;
        throw new EOFException("line ends without a newline");
      }
      if (sb.length() >= Y4mHeader.MAX_LINE)
        throw new IOException("line longer than " + Y4mHeader.MAX_LINE + " bytes");
      sb.append((char) b);
    }
    return sb.toString();
  }

  @Override
  public int width() {
    return hdr.width();
  }

  @Override
  public int height() {
    return hdr.height();
  }

  @Override
  public int rateNum() {
    return hdr.rateNum();
  }

  @Override
  public int rateDen() {
    return hdr.rateDen();
  }

  @Override
  public long frameCount() {
    return frameCount;
  }

  @Override
  public boolean hasAudio() {
    return false;
  }

  @Override
  public VideoFrame next() throws IOException {
    String line;
    try {
      line = readLine(in);
    } catch (IOException e) {
      throw new IOException(input + ": frame " + index + ": " + e.getMessage());
    }
    if (line == null) return null;
    if (!line.equals("FRAME") && !line.startsWith("FRAME ")) {
      throw new IOException(input + ": frame " + index + " does not start with FRAME");
    }
    int w = hdr.width(), h = hdr.height();
    try {
      readPlane(y, w, h);
      if (!hdr.mono()) {
        readPlane(cb, hdr.chromaWidth(), hdr.chromaHeight());
        readPlane(cr, hdr.chromaWidth(), hdr.chromaHeight());
      }
      if (hdr.alpha()) in.skipNBytes((long) w * h * hdr.bytesPerSample());
    } catch (EOFException e) {
      throw new IOException(input + ": frame " + index + " is truncated");
    }
    BufferedImage img = Rgb.newImage(w, h);
    YCbCr.toRgb(
        y,
        cb,
        cr,
        w,
        h,
        hdr.chromaWidth(),
        tx,
        ty,
        hdr.depth(),
        hdr.fullRange(),
        YCbCr.Matrix.BT601,
        Rgb.pixels(img));
    long micros = index * 1_000_000L * hdr.rateDen() / hdr.rateNum();
    return new VideoFrame(index++, micros, img);
  }

  private void readPlane(int[] dst, int w, int h) throws IOException {
    int bps = hdr.bytesPerSample();
    for (int row = 0; row < h; row++) {
      int n = w * bps;
      if (in.readNBytes(buf, 0, n) != n) throw new EOFException();
      int o = row * w;
      if (bps == 1) {
        for (int x = 0; x < w; x++) dst[o + x] = buf[x] & 255;
      } else {
        int max = (1 << hdr.depth()) - 1;
        for (int x = 0; x < w; x++) {
          dst[o + x] = Math.min(max, (buf[2 * x] & 255) | (buf[2 * x + 1] & 255) << 8);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  static boolean sniff(byte[] head) {
    byte[] magic = (Y4mHeader.MAGIC + " ").getBytes(StandardCharsets.US_ASCII);
    if (head.length < magic.length) return false;
    for (int i = 0; i < magic.length; i++) if (head[i] != magic[i]) return false;
    return true;
  }
}
