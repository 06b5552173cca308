package io.vqcodec.neural;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named-tensor file, used for released weights and for training checkpoints.
 *
 * <p>Format (big-endian, {@link DataOutputStream}): magic {@code "VQT1"} or {@code "VQT2"}, u32
 * count, then per tensor: modified-UTF-8 name, u8 rank, rank x i64 dims, in VQT2 a u8 value type (0
 * float32, 1 IEEE binary16), then the values in row-major order. VQT1 is all float32. Values are
 * always float32 in memory; binary16 is a storage format (round to nearest).
 */
public final class TensorFile {
  private static final int MAGIC = 0x56515431; // "VQT1"
  private static final int MAGIC2 = 0x56515432; // "VQT2"

  /** A float tensor: dims and values. */
  public record Tensor(long[] dims, float[] data) {
    public Tensor {
      long n = 1;
      for (long d : dims) n *= d;
      if (n != data.length) throw new IllegalArgumentException("dims do not match data length");
    }
  }

  private TensorFile() {}

  /** Writes atomically (temporary file, then rename). */
  public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp)) {
      write(os, tensors);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes VQT2, storing the tensors whose names satisfy {@code half} as binary16. */
  public static void write(
      Path file, Map<String, Tensor> tensors, java.util.function.Predicate<String> half)
      throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp)) {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
      out.writeInt(MAGIC2);
      out.writeInt(tensors.size());
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        out.writeUTF(e.getKey());
        long[] dims = e.getValue().dims();
        out.writeByte(dims.length);
        for (long d : dims) out.writeLong(d);
        boolean h = half.test(e.getKey());
        out.writeByte(h ? 1 : 0);
        for (float v : e.getValue().data()) {
          if (h) {
            out.writeShort(toHalf(v));
          } else {
            out.writeFloat(v);
          }
        }
      }
      out.flush();
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static void write(OutputStream os, Map<String, Tensor> tensors) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
    out.writeInt(MAGIC);
    out.writeInt(tensors.size());
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      out.writeUTF(e.getKey());
      long[] dims = e.getValue().dims();
      out.writeByte(dims.length);
      for (long d : dims) out.writeLong(d);
      for (float v : e.getValue().data()) out.writeFloat(v);
    }
    out.flush();
  }

  public static Map<String, Tensor> read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    }
  }

  public static Map<String, Tensor> read(byte[] bytes) throws IOException {
    return read(new ByteArrayInputStream(bytes));
  }

  public static Map<String, Tensor> read(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16));
    try {
      int magic = in.readInt();
      if (magic != MAGIC && magic != MAGIC2) throw new IOException("not a VQT tensor file");
      int n = in.readInt();
      if (n < 0 || n > 100_000) throw new IOException("bad tensor count " + n);
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        int rank = in.readUnsignedByte();
        long[] dims = new long[rank];
        long size = 1;
        for (int k = 0; k < rank; k++) {
          dims[k] = in.readLong();
          if (dims[k] < 0 || dims[k] > (1 << 28)) throw new IOException("bad dim in " + name);
          size *= dims[k];
        }
        if (size > (1 << 28)) throw new IOException("tensor too large: " + name);
        int type = magic == MAGIC2 ? in.readUnsignedByte() : 0;
        if (type > 1) throw new IOException("bad value type " + type + " in " + name);
        float[] data = new float[(int) size];
        readValues(in, data, type == 0 ? 4 : 2);
        out.put(name, new Tensor(dims, data));
      }
      return out;
    } catch (EOFException e) {
      throw new IOException("truncated tensor file", e);
    }
  }

  /**
   * Big-endian float32 ({@code width} 4) or binary16 ({@code width} 2) values, read in blocks: a
   * value at a time through {@link DataInputStream} costs a tenth of a second on released weights.
   */
  private static void readValues(DataInputStream in, float[] data, int width) throws IOException {
    byte[] block = new byte[1 << 16];
    ByteBuffer buf = ByteBuffer.wrap(block).order(ByteOrder.BIG_ENDIAN);
    int per = block.length / width;
    float[] table = width == 2 ? HalfTable.FLOATS : null;
    for (int k = 0; k < data.length; k += per) {
      int n = Math.min(per, data.length - k);
      in.readFully(block, 0, n * width);
      buf.clear();
      if (width == 4) {
        buf.asFloatBuffer().get(data, k, n);
      } else {
        for (int q = 0, b = 0; q < n; q++, b += 2) {
          data[k + q] = table[(block[b] & 0xff) << 8 | (block[b + 1] & 0xff)];
        }
      }
    }
  }

  /**
   * Every binary16 value as a float, made on first use: a table lookup per value instead of {@link
   * #fromHalf}'s branches, for the CLI, which runs without the optimising compiler (bin/vqcodec):
   * reading the released weights (6.5 million values) took 177 ms of CPU that way, 120 to 135 ms
   * with the table (the rest is copying and zeroing the arrays).
   */
  private static final class HalfTable {
    static final float[] FLOATS = new float[1 << 16];

    static {
      for (int h = 0; h < FLOATS.length; h++) FLOATS[h] = fromHalf((short) h);
    }
  }

  /** float32 to IEEE binary16, round to nearest (ties to even for normals). */
  public static short toHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int val = bits & 0x7fffffff;
    if (val > 0x7f800000) return (short) (sign | 0x7e00);
    if (val < 0x38800000) {
      // below 2^-14: binary16 subnormal, an integer multiple of 2^-24 (1024 becomes the smallest
      // normal)
      return (short) (sign | Math.round(Float.intBitsToFloat(val) * 16777216f));
    }
    int e = (val >>> 23) - 127 + 15;
    int m = val & 0x7fffff;
    int r = m + 0xfff + ((m >>> 13) & 1);
    if ((r & 0x800000) != 0) {
      r = 0;
      e++;
    }
    if (e >= 31) return (short) (sign | 0x7c00);
    return (short) (sign | (e << 10) | (r >>> 13));
  }

  public static float fromHalf(short hs) {
    int h = hs & 0xffff;
    int s = (h & 0x8000) << 16, e = (h >>> 10) & 0x1f, m = h & 0x3ff;
    if (e == 0) {
      float v = m / 16777216f;
      return s != 0 ? -v : v;
    }
    if (e == 31) return Float.intBitsToFloat(s | 0x7f800000 | (m << 13));
    return Float.intBitsToFloat(s | ((e - 15 + 127) << 23) | (m << 13));
  }

  public static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) sb.append(String.format("%02x", x));
    return sb.toString();
  }
}
