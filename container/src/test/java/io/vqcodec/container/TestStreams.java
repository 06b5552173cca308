package io.vqcodec.container;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shared fixtures: real multi-slice files and awkward input streams. */
final class TestStreams {
  private TestStreams() {}

  static byte[] sha(int seed) {
    byte[] h = new byte[32];
    new Random(seed).nextBytes(h);
    return h;
  }

  static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /** slices of {@code rowsEach} cell rows (the last may be shorter) with random payloads. */
  static List<Slice> slices(PictureHeader p, int rowsEach, Random r, int maxPayload) {
    List<Slice> out = new ArrayList<>();
    for (int row = 0; row < Limits.cells(p.height()); row += rowsEach) {
      int rows = Math.min(rowsEach, Limits.cells(p.height()) - row);
      out.add(new Slice(row, rows, bytes(r, r.nextInt(maxPayload + 1))));
    }
    return out;
  }

  /** A 100x70 RGB picture (7x5 cells) in 5 one-row slices (one empty), with two extensions. */
  static ContainerHeader multiSliceHeader() {
    return new ContainerHeader(
        PictureHeader.still(100, 70, ChannelFormat.RGB),
        new ModelId(1, sha(1)),
        new TokenGridParams(1024, GranularityMode.MIXED, ProbabilityModel.ADAPTIVE_ORDER0),
        List.of(
            new Extension(0x4001, false, new byte[] {1, 2, 3}),
            new Extension(7, false, new byte[0])));
  }

  static List<Slice> multiSlices() {
    Random r = new Random(42);
    return List.of(
        new Slice(0, 1, bytes(r, 37)),
        new Slice(1, 1, bytes(r, 5)),
        new Slice(2, 1, new byte[0]),
        new Slice(3, 1, bytes(r, 61)),
        new Slice(4, 1, bytes(r, 12)));
  }

  /** Delivers one byte per read() call. */
  static InputStream oneByteAtATime(byte[] b) {
    return new InputStream() {
      int pos;

      @Override
      public int read() {
        return pos < b.length ? b[pos++] & 0xFF : -1;
      }

      @Override
      public int read(byte[] buf, int off, int len) {
        if (len == 0) return 0;
        int c = read();
        if (c < 0) return -1;
        buf[off] = (byte) c;
        return 1;
      }
    };
  }

  /** Counts the bytes consumed, to show how far a reader has read. */
  static final class CountingStream extends InputStream {
    private final byte[] b;
    int pos;

    CountingStream(byte[] b) {
      this.b = b;
    }

    @Override
    public int read() throws IOException {
      return pos < b.length ? b[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
      if (len == 0) return 0;
      if (pos >= b.length) return -1;
      int n = Math.min(len, b.length - pos);
      System.arraycopy(b, pos, buf, off, n);
      pos += n;
      return n;
    }
  }
}
