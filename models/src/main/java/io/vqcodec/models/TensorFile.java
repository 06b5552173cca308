package io.vqcodec.models;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named-tensor file, used for released weights and for training checkpoints.
 *
 * <p>Format (big-endian, {@link DataOutputStream}): magic {@code "VQT1"}, u32 count, then per
 * tensor: modified-UTF-8 name, u8 rank, rank x i64 dims, then the float32 values in row-major order.
 */
public final class TensorFile {
  private static final int MAGIC = 0x56515431; // "VQT1"

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
      if (in.readInt() != MAGIC) throw new IOException("not a VQT1 tensor file");
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
        float[] data = new float[(int) size];
        for (int k = 0; k < data.length; k++) data[k] = in.readFloat();
        out.put(name, new Tensor(dims, data));
      }
      return out;
    } catch (EOFException e) {
      throw new IOException("truncated tensor file", e);
    }
  }

  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) sb.append(String.format("%02x", x));
    return sb.toString();
  }
}
