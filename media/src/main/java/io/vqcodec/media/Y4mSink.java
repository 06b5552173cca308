package io.vqcodec.media;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes YUV4MPEG2: 8-bit 4:4:4 ({@code C444}), full range ({@code XCOLORRANGE=FULL}), BT.601
 * matrix (JFIF's Y'CbCr). 4:4:4 because the codec's pictures are RGB and 4:2:0 would halve their
 * chroma resolution; full range because it keeps 256 levels of Y' (limited keeps 220); BT.601
 * because Y4M has no matrix tag and BT.601 is what FFmpeg and the other readers assume. RGB to
 * Y'CbCr and back in 8 bits is within 1 per channel (see {@code Y4mTest}).
 */
final class Y4mSink extends AtomicSink {
  private static final byte[] FRAME = {'F', 'R', 'A', 'M', 'E', '\n'};

  private final OutputStream out;
  private final byte[] y;
  private final byte[] cb;
  private final byte[] cr;

  Y4mSink(Path target, Path temp, boolean overwrite, int w, int h, int num, int den)
      throws IOException {
    super(target, temp, false, overwrite, w, h, num, den);
    y = new byte[w * h];
    cb = new byte[w * h];
    cr = new byte[w * h];
    out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
    try {
      out.write(Y4mHeader.forWriting(w, h, num, den).toBytes());
    } catch (IOException e) {
      release();
      throw e;
    }
  }

  @Override
  void writeFrame(int[] rgb, long index) throws IOException {
    YCbCr.fromRgb(rgb, width, height, 0, 0, true, YCbCr.Matrix.BT601, y, cb, cr);
    out.write(FRAME);
    out.write(y);
    out.write(cb);
    out.write(cr);
  }

  @Override
  void finish() throws IOException {
    out.close();
  }

  @Override
  void release() {
    try {
      out.close();
    } catch (IOException e) {
      // The output is being deleted anyway.
    }
  }
}
