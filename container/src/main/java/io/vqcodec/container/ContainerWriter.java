package io.vqcodec.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a .vqc file (Spec §2.3): header with slice directory, slice payloads, end code. The slices
 * must cover the cell rows 0 .. ceil(height/16)-1 in order (Spec §5.2); their payloads are opaque.
 * Stateless and thread-safe.
 */
public final class ContainerWriter {
  private ContainerWriter() {}

  /**
   * The whole file.
   *
   * @throws IllegalArgumentException if the slices or a payload length break Spec §5.2 or Annex A
   */
  public static byte[] write(ContainerHeader header, List<Slice> slices) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(header, slices, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes the whole file to {@code out} (not closed). */
  public static void write(ContainerHeader header, List<Slice> slices, OutputStream out)
      throws IOException {
    out.write(headerBytes(HeaderSyntax.of(header, slices), true));
    for (Slice s : slices) {
      out.write(s.payloadNoCopy());
    }
    out.write(HeaderSyntax.END_CODE);
  }

  /** Bytes {@link #write} produces. */
  public static long size(ContainerHeader header, List<Slice> slices) {
    HeaderSyntax s = HeaderSyntax.of(header, slices);
    long n = headerSize(s) + HeaderSyntax.END_CODE.length;
    for (Slice sl : slices) {
      n += sl.payloadSize();
    }
    return n;
  }

  /** Sets header_size from the size counter, then writes header(). */
  static byte[] headerBytes(HeaderSyntax s, boolean checked) {
    s.headerSize = headerSize(s);
    WriteVisitor w = new WriteVisitor(checked);
    try {
      s.visit(w);
    } catch (FormatException e) {
      throw new AssertionError(e); // writers do not throw FormatException
    }
    return w.toByteArray();
  }

  private static long headerSize(HeaderSyntax s) {
    SizeVisitor c = new SizeVisitor();
    try {
      s.visit(c);
    } catch (FormatException e) {
      throw new AssertionError(e);
    }
    return c.size();
  }
}
