package io.vqcodec.container;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a .vqc file incrementally: {@link #open} reads and verifies the header (Spec §2.4), then
 * {@link #nextSlice} reads one slice at a time (Spec §5.3), so a decoder can start on the first
 * slice before the rest has arrived.
 *
 * <p>Header damage, unsupported features and limit violations throw {@link FormatException}. Slice
 * damage does not: each slice comes back with a {@link Slice.Status} (Spec §5.4). Every size is
 * checked against Annex A before anything is allocated for it, and buffers grow only as bytes
 * actually arrive. Not thread-safe.
 */
public final class ContainerReader {
  private static final int CHUNK = 1 << 16;

  private final InputStream in;
  private final HeaderSyntax syntax;
  private final ContainerHeader header;
  private int next;
  private boolean eof;
  private boolean endCodeValid;

  private ContainerReader(InputStream in, HeaderSyntax syntax) {
    this.in = in;
    this.syntax = syntax;
    this.header = syntax.toHeader();
  }

  /** Opens a complete (or truncated) file held in memory. */
  public static ContainerReader open(byte[] file) throws FormatException {
    try {
      return open(new ByteArrayInputStream(file));
    } catch (FormatException e) {
      throw e;
    } catch (IOException e) {
      throw new AssertionError(e); // a ByteArrayInputStream does not fail
    }
  }

  /**
   * Reads the header from {@code in}, blocking until it has arrived, and leaves the stream at the
   * first slice payload. I/O errors of {@code in} propagate as they are.
   */
  public static ContainerReader open(InputStream in) throws IOException {
    byte[] prefix = readUpTo(in, HeaderSyntax.PREFIX_SIZE);
    checkMagic(prefix);
    // Spec §2.4 step 2 comes before the truncation of step 3: an unsupported version is named as
    // such even when the stream ends inside the prefix.
    int major = HeaderSyntax.MAGIC.length;
    if (prefix.length > major && (prefix[major] & 0xFF) != HeaderSyntax.VERSION_MAJOR) {
      throw new FormatException(
          FormatException.Reason.UNSUPPORTED_VERSION, describeVersion(prefix[major] & 0xFF), major);
    }
    if (prefix.length < HeaderSyntax.PREFIX_SIZE) {
      throw new FormatException(
          FormatException.Reason.TRUNCATED_HEADER,
          "file ends {at}, inside the "
              + HeaderSyntax.PREFIX_SIZE
              + "-byte file header (Spec §2.2)",
          prefix.length);
    }
    HeaderSyntax s = new HeaderSyntax();
    s.visitPrefix(new ReadVisitor(prefix, prefix.length));
    int size = (int) s.headerSize; // bounded by Limits.MAX_HEADER_SIZE in visitPrefix
    byte[] rest = readUpTo(in, size - prefix.length);
    byte[] buf = Arrays.copyOf(prefix, prefix.length + rest.length);
    System.arraycopy(rest, 0, buf, prefix.length, rest.length);
    if (buf.length < size) {
      throw new FormatException(
          FormatException.Reason.TRUNCATED_HEADER,
          "file ends {at}, inside the header (header_size " + size + ") (Spec §2.4)",
          buf.length);
    }
    // Spec §2.4: verify the CRC before interpreting anything after the prefix.
    long stored =
        ((buf[size - 4] & 0xFFL) << 24)
            | ((buf[size - 3] & 0xFF) << 16)
            | ((buf[size - 2] & 0xFF) << 8)
            | (buf[size - 1] & 0xFF);
    long computed = HeaderSyntax.crc32c(buf, 0, size - 4);
    if (stored != computed) {
      throw new FormatException(
          FormatException.Reason.DAMAGED_HEADER,
          HeaderSyntax.describeCrcMismatch(stored, computed, size - 4, "Spec §2.5"),
          size - 4);
    }
    s.visit(new ReadVisitor(buf, size, true)); // Spec §2.4 step 6: no field runs into header_crc
    return new ContainerReader(in, s);
  }

  /** Whether {@code prefix} starts with the .vqc magic (Spec §2.2); needs at least 8 bytes. */
  public static boolean hasMagic(byte[] prefix) {
    return prefix.length >= HeaderSyntax.MAGIC.length
        && Arrays.equals(
            prefix, 0, HeaderSyntax.MAGIC.length, HeaderSyntax.MAGIC, 0, HeaderSyntax.MAGIC.length);
  }

  /** Spec §2.2: names the transfer damage the magic is designed to reveal. */
  private static void checkMagic(byte[] b) throws FormatException {
    byte[] m = HeaderSyntax.MAGIC;
    int n = Math.min(b.length, m.length);
    if (Arrays.equals(b, 0, n, m, 0, n)) {
      if (n < m.length) {
        throw new FormatException(
            FormatException.Reason.TRUNCATED_HEADER,
            "file ends {at}, inside the magic (Spec §2.2)",
            n);
      }
      return;
    }
    throw new FormatException(FormatException.Reason.NOT_VQC, describeBadMagic(b, n), 0);
  }

  // Messages (conformance/README.md, "Mutation testing": describe* methods are not mutated; no
  // outcome of Annex C depends on them).

  /** Names the transfer damage the magic is designed to reveal (Spec §2.2), if it is that. */
  private static String describeBadMagic(byte[] b, int n) {
    String why;
    if (n >= 4 && b[0] == 0x09 && b[1] == 'V' && b[2] == 'Q' && b[3] == 'C') {
      why = "high bit of byte 0 cleared: the file went through a 7-bit channel";
    } else if (n >= 4 && (b[0] & 0xFF) == 0x89 && b[1] == 'V' && b[2] == 'Q' && b[3] == 'C') {
      why = "line-ending bytes changed: the file was transferred in text mode";
    } else {
      why = "not a .vqc file";
    }
    return "magic " + HeaderSyntax.describeBytes(b, 0, n) + " {at}: " + why + " (Spec §2.2)";
  }

  private static String describeVersion(int major) {
    return "version_major "
        + major
        + " {at}: this decoder implements version "
        + HeaderSyntax.VERSION_MAJOR
        + ".x only";
  }

  public ContainerHeader header() {
    return header;
  }

  /** version_minor of the stream; a v0 reader accepts every minor version (Spec §2.2). */
  public int versionMinor() {
    return (int) syntax.versionMinor;
  }

  /** Bytes of header(), i.e. the file offset of the first slice payload. */
  public int headerSize() {
    return (int) syntax.headerSize;
  }

  /** slice_count of the slice directory. */
  public int sliceCount() {
    return (int) syntax.directory.count;
  }

  /**
   * The next slice in directory order, or null after the last one. Never throws for damage: a
   * payload that does not match its CRC, that the stream cuts short, or that never arrives comes
   * back with status CRC_MISMATCH, TRUNCATED or MISSING (Spec §5.4).
   */
  public Slice nextSlice() throws IOException {
    int n = sliceCount();
    if (next > n) return null;
    if (next == n) {
      next++;
      if (!eof) {
        byte[] end = readUpTo(in, HeaderSyntax.END_CODE.length);
        endCodeValid = Arrays.equals(end, HeaderSyntax.END_CODE);
      }
      return null;
    }
    int i = next++;
    int first = (int) syntax.directory.firstRow[i];
    int rows = (int) syntax.directory.rowCount[i];
    int length = (int) syntax.directory.payloadLength[i]; // bounded by Limits.maxSlicePayload
    if (eof) return new Slice(first, rows, new byte[0], Slice.Status.MISSING);
    byte[] payload = readUpTo(in, length);
    if (payload.length < length) {
      eof = true;
      return new Slice(
          first,
          rows,
          payload,
          payload.length == 0 ? Slice.Status.MISSING : Slice.Status.TRUNCATED);
    }
    boolean ok = HeaderSyntax.crc32c(payload, 0, length) == syntax.directory.payloadCrc[i];
    return new Slice(first, rows, payload, ok ? Slice.Status.OK : Slice.Status.CRC_MISMATCH);
  }

  /** The slices not read yet, then the end code. */
  public List<Slice> remainingSlices() throws IOException {
    List<Slice> out = new ArrayList<>();
    for (Slice s; (s = nextSlice()) != null; ) {
      out.add(s);
    }
    return out;
  }

  /**
   * Whether the end code followed the last slice (Spec §2.6). Meaningful once {@link #nextSlice}
   * has returned null; a missing or damaged end code loses nothing and does not throw.
   */
  public boolean endCodeValid() {
    return endCodeValid;
  }

  /** Up to {@code n} bytes; fewer only at end of stream. Allocates as bytes arrive. */
  private static byte[] readUpTo(InputStream in, int n) throws IOException {
    byte[] buf = new byte[Math.min(n, CHUNK)];
    int got = 0;
    while (got < n) {
      if (got == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
      int r = in.read(buf, got, buf.length - got);
      if (r < 0) break;
      got += r;
    }
    return got == buf.length ? buf : Arrays.copyOf(buf, got);
  }
}
