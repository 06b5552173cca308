package io.vqcodec.media;

import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.io.IOException;
import org.bytedeco.ffmpeg.avutil.AVComponentDescriptor;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A decoded AVFrame to 8-bit RGB. Formats whose components are whole bytes or 16-bit words (planar,
 * semi-planar and packed Y'CbCr and RGB, 8 to 16 bits, either endianness: yuv420p, yuv444p10le,
 * nv12, yuyv422, gbrp, rgb24, bgr0, rgb48le, gray, ...) are read here, with {@link YCbCr}'s
 * matrices chosen from the frame's tags, so that the file's colour matrix, range and chroma siting
 * are honoured (swscale's legacy API, which JavaCV uses, applies BT.601 to everything). The rest
 * (paletted, bit-packed, float, Bayer) goes through swscale to rgb24.
 *
 * <p>Untagged matrix: BT.709 from 1280 wide or 577 high up, else BT.601 (what players do). Untagged
 * range: limited, except gray (full) and FFmpeg's yuvj formats. Untagged chroma siting: MPEG-2's
 * (co-sited left, centred vertically), the default of H.264, HEVC and VP9.
 */
final class AvFrameRgb implements AutoCloseable {
  private static final long UNSUPPORTED =
      AV_PIX_FMT_FLAG_PAL
          | AV_PIX_FMT_FLAG_BITSTREAM
          | AV_PIX_FMT_FLAG_HWACCEL
          | AV_PIX_FMT_FLAG_FLOAT
          | AV_PIX_FMT_FLAG_BAYER
          | AV_PIX_FMT_FLAG_XYZ;

  private int[] p0 = new int[0], p1 = new int[0], p2 = new int[0];
  private byte[] row = new byte[0];
  private YCbCr.Taps tx, ty;

  /** The geometry and siting the taps were made for. */
  private int[] tapsKey;

  private SwsContext sws;
  private AVFrame rgbFrame;

  /** Converts {@code f} into {@code out}, f.width() * f.height() 0xRRGGBB ints. */
  void convert(AVFrame f, int[] out) throws IOException {
    int fmt = f.format();
    AVPixFmtDescriptor d = av_pix_fmt_desc_get(fmt);
    if (d == null) throw new IOException("decoder returned no pixel format");
    int w = f.width(), h = f.height();
    if (!readable(d, f)) {
      viaSwscale(f, fmt, w, h, out);
      return;
    }
    boolean rgb = (d.flags() & AV_PIX_FMT_FLAG_RGB) != 0;
    int n = d.nb_components();
    int log2w = rgb ? 0 : d.log2_chroma_w(), log2h = rgb ? 0 : d.log2_chroma_h();
    int cw = YCbCr.chromaSize(w, log2w), ch = YCbCr.chromaSize(h, log2h);
    ensure(w * h, n >= 3 ? cw * ch : 0);
    read(f, d, 0, w, h, p0);
    if (n < 3) {
      // Gray (with or without alpha): full range unless tagged limited.
      boolean full = f.color_range() != AVCOL_RANGE_MPEG;
      YCbCr.toRgb(p0, null, null, w, h, 0, null, null, d.comp(0).depth(), full, null, out);
      return;
    }
    read(f, d, 1, cw, ch, p1);
    read(f, d, 2, cw, ch, p2);
    int depth = d.comp(0).depth();
    if (rgb) {
      pack(p0, p1, p2, depth, w * h, out);
    } else if (f.colorspace() == AVCOL_SPC_RGB && log2w == 0 && log2h == 0) {
      // H.264/HEVC "GBR" coding: the planes are G, B, R, no matrix.
      pack(p2, p0, p1, depth, w * h, out);
    } else {
      String name = d.name().getString();
      boolean full = f.color_range() == AVCOL_RANGE_JPEG || name.startsWith("yuvj");
      int loc = f.chroma_location();
      double sx =
          (loc == AVCHROMA_LOC_CENTER || loc == AVCHROMA_LOC_TOP || loc == AVCHROMA_LOC_BOTTOM)
              ? YCbCr.CENTRED
              : YCbCr.COSITED;
      double sy =
          (loc == AVCHROMA_LOC_TOPLEFT || loc == AVCHROMA_LOC_TOP)
              ? YCbCr.COSITED
              : (loc == AVCHROMA_LOC_BOTTOMLEFT || loc == AVCHROMA_LOC_BOTTOM)
                  ? YCbCr.LAST
                  : YCbCr.CENTRED;
      int[] key = {w, h, log2w, log2h, loc};
      if (!java.util.Arrays.equals(key, tapsKey)) {
        tapsKey = key;
        tx = new YCbCr.Taps(w, log2w, sx);
        ty = new YCbCr.Taps(h, log2h, sy);
      }
      YCbCr.toRgb(p0, p1, p2, w, h, cw, tx, ty, depth, full, matrix(f.colorspace(), w, h), out);
    }
  }

  static YCbCr.Matrix matrix(int colorspace, int w, int h) {
    if (colorspace == AVCOL_SPC_BT709) return YCbCr.Matrix.BT709;
    if (colorspace == AVCOL_SPC_BT470BG
        || colorspace == AVCOL_SPC_SMPTE170M
        || colorspace == AVCOL_SPC_FCC) {
      return YCbCr.Matrix.BT601;
    }
    if (colorspace == AVCOL_SPC_BT2020_NCL || colorspace == AVCOL_SPC_BT2020_CL) {
      return YCbCr.Matrix.BT2020; // constant luminance approximated by its matrix
    }
    if (colorspace == AVCOL_SPC_SMPTE240M) return YCbCr.Matrix.SMPTE240M;
    return w >= 1280 || h > 576 ? YCbCr.Matrix.BT709 : YCbCr.Matrix.BT601;
  }

  /** Whole-byte or 16-bit components at non-negative strides: read in Java. */
  private static boolean readable(AVPixFmtDescriptor d, AVFrame f) {
    if ((d.flags() & UNSUPPORTED) != 0 || d.nb_components() < 1) return false;
    for (int c = 0; c < Math.min(3, d.nb_components()); c++) {
      AVComponentDescriptor comp = d.comp(c);
      int depth = comp.depth(), bits = depth > 8 ? 16 : 8;
      if (depth < 8 || depth > 16 || comp.shift() + depth > bits || comp.step() < bits / 8) {
        return false;
      }
      if (f.linesize(comp.plane()) <= 0) return false;
    }
    return true;
  }

  private void ensure(int luma, int chroma) {
    if (p0.length < luma) p0 = new int[luma];
    if (p1.length < Math.max(chroma, luma)) {
      p1 = new int[Math.max(chroma, luma)];
      p2 = new int[Math.max(chroma, luma)];
    }
  }

  /** Component {@code c} of {@code f}, cols x rows samples, into {@code dst}. */
  private void read(AVFrame f, AVPixFmtDescriptor d, int c, int cols, int rows, int[] dst) {
    AVComponentDescriptor comp = d.comp(c);
    int plane = comp.plane(), step = comp.step(), offset = comp.offset(), shift = comp.shift();
    int depth = comp.depth(), mask = (1 << depth) - 1;
    boolean wide = depth > 8, be = (d.flags() & AV_PIX_FMT_FLAG_BE) != 0;
    int ls = f.linesize(plane);
    int need = (cols - 1) * step + offset + (wide ? 2 : 1);
    if (row.length < need) row = new byte[need];
    BytePointer data = f.data(plane);
    for (int y = 0; y < rows; y++) {
      data.position((long) y * ls).get(row, 0, need);
      int o = y * cols;
      if (!wide && step == 1 && offset == 0 && shift == 0) {
        for (int x = 0; x < cols; x++) dst[o + x] = row[x] & 255;
      } else if (!wide) {
        for (int x = 0; x < cols; x++)
          dst[o + x] = ((row[x * step + offset] & 255) >> shift) & mask;
      } else {
        for (int x = 0; x < cols; x++) {
          int a = x * step + offset;
          int lo = row[be ? a + 1 : a] & 255, hi = row[be ? a : a + 1] & 255;
          dst[o + x] = ((hi << 8 | lo) >> shift) & mask;
        }
      }
    }
  }

  private static void pack(int[] r, int[] g, int[] b, int depth, int n, int[] out) {
    if (depth == 8) {
      for (int i = 0; i < n; i++) out[i] = r[i] << 16 | g[i] << 8 | b[i];
      return;
    }
    int max = (1 << depth) - 1;
    for (int i = 0; i < n; i++) {
      out[i] = to8(r[i], max) << 16 | to8(g[i], max) << 8 | to8(b[i], max);
    }
  }

  private static int to8(int v, int max) {
    return (v * 255 + max / 2) / max;
  }

  private void viaSwscale(AVFrame f, int fmt, int w, int h, int[] out) throws IOException {
    sws =
        sws_getCachedContext(
            sws,
            w,
            h,
            fmt,
            w,
            h,
            AV_PIX_FMT_RGB24,
            SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
            null,
            null,
            (DoublePointer) null);
    if (sws == null || sws.isNull()) {
      throw new IOException(
          "pixel format " + av_get_pix_fmt_name(fmt).getString() + " is not supported");
    }
    if (rgbFrame == null || rgbFrame.width() != w || rgbFrame.height() != h) {
      if (rgbFrame != null) av_frame_free(rgbFrame);
      rgbFrame = av_frame_alloc();
      rgbFrame.format(AV_PIX_FMT_RGB24).width(w).height(h);
      int ret = av_frame_get_buffer(rgbFrame, 0);
      if (ret < 0) throw new IOException("cannot allocate a frame: " + Ffmpeg.error(ret));
    }
    sws_scale(
        sws,
        new PointerPointer<>(f),
        f.linesize(),
        0,
        h,
        new PointerPointer<>(rgbFrame),
        rgbFrame.linesize());
    int ls = rgbFrame.linesize(0);
    if (row.length < w * 3) row = new byte[w * 3];
    BytePointer data = rgbFrame.data(0);
    for (int y = 0; y < h; y++) {
      data.position((long) y * ls).get(row, 0, w * 3);
      for (int x = 0; x < w; x++) {
        out[y * w + x] =
            (row[3 * x] & 255) << 16 | (row[3 * x + 1] & 255) << 8 | row[3 * x + 2] & 255;
      }
    }
  }

  @Override
  public void close() {
    if (sws != null) {
      sws_freeContext(sws);
      sws = null;
    }
    if (rgbFrame != null) {
      av_frame_free(rgbFrame);
      rgbFrame = null;
    }
  }
}
