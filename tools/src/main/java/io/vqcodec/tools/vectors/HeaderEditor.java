package io.vqcodec.tools.vectors;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A header() of Spec §2.3 as a list of raw syntax elements, for building invalid vectors by editing
 * one element. Written independently of the container module's reader: it walks the syntax of §2.2,
 * §3.2, §4.2, §6.2, §9.2 and §5.2 without checking any value, so it can hold values a reader must
 * refuse. {@link #toFile} re-emits the header (optionally with header_size and header_crc made
 * consistent again) followed by the original payloads and end code.
 */
final class HeaderEditor {
  /** One syntax element: its spec name (slice fields as {@code slice[i].payload_crc}) and bytes. */
  record Field(String name, byte[] raw) {}

  private final List<Field> fields = new ArrayList<>();
  private byte[] rest;

  private HeaderEditor(byte[] rest) {
    this.rest = rest;
  }

  /** Splits a valid file into header fields and the bytes after the header. */
  static HeaderEditor parse(byte[] file) {
    Walker w = new Walker(file);
    List<Field> f = new ArrayList<>();
    f.add(w.bytes("magic", 8));
    f.add(w.bytes("version_major", 1));
    f.add(w.bytes("version_minor", 1));
    Field size = w.bytes("header_size", 4);
    f.add(size);
    f.add(w.bytes("profile", 1));
    f.add(w.bytes("header_flags", 1));
    for (String n : List.of("width", "height")) f.add(w.varint(n));
    f.add(w.bytes("channel_format", 1));
    f.add(w.bytes("bit_depth", 1));
    for (String n : List.of("frame_count", "frame_rate_num", "frame_rate_den", "model_id")) {
      f.add(w.varint(n));
    }
    f.add(w.bytes("weights_hash", 16));
    for (String n : List.of("codebook_level", "granularity_mode", "prob_model_id")) {
      f.add(w.bytes(n, 1));
    }
    Field ext = w.varint("extension_count");
    f.add(ext);
    for (int i = 0; i < value(ext.raw); i++) {
      f.add(w.bytes("extension[" + i + "].extension_type", 2));
      Field len = w.varint("extension[" + i + "].extension_length");
      f.add(len);
      f.add(w.bytes("extension[" + i + "].extension_payload", (int) value(len.raw)));
    }
    Field count = w.varint("slice_count");
    f.add(count);
    for (int i = 0; i < value(count.raw); i++) {
      for (String n : List.of("first_row", "row_count", "payload_length")) {
        f.add(w.varint("slice[" + i + "]." + n));
      }
      f.add(w.bytes("slice[" + i + "].payload_crc", 4));
    }
    f.add(w.bytes("header_crc", 4));
    int headerSize = (int) u(size.raw);
    if (w.pos != headerSize) {
      throw new IllegalArgumentException(
          "header walk ended at " + w.pos + ", header_size " + headerSize);
    }
    HeaderEditor e = new HeaderEditor(Arrays.copyOfRange(file, headerSize, file.length));
    e.fields.addAll(f);
    return e;
  }

  HeaderEditor copy() {
    HeaderEditor e = new HeaderEditor(rest);
    e.fields.addAll(fields);
    return e;
  }

  int index(String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name.equals(name)) return i;
    }
    throw new IllegalArgumentException("no field " + name);
  }

  List<String> fieldNames() {
    List<String> n = new ArrayList<>();
    for (Field f : fields) n.add(f.name);
    return n;
  }

  byte[] raw(String name) {
    return fields.get(index(name)).raw.clone();
  }

  /** Replaces the bytes of {@code name}. */
  HeaderEditor set(String name, byte[] raw) {
    fields.set(index(name), new Field(name, raw.clone()));
    return this;
  }

  /** Inserts fields after {@code name}. */
  HeaderEditor insertAfter(String name, Field... add) {
    fields.addAll(index(name) + 1, List.of(add));
    return this;
  }

  /**
   * An extension block (Spec §9.2) for {@link #addExtensions}: its extension_type, its
   * extension_length (normally the payload's size, {@link #of}) and its payload.
   */
  record Block(int type, long length, byte[] payload) {
    /** A block whose extension_length counts its payload. */
    static Block of(int type, byte... payload) {
      return new Block(type, payload.length, payload);
    }
  }

  /**
   * Extension block {@code i} rewritten as {@code type} (the two bytes of extension_type, critical
   * bit included) with {@code payload} and its extension_length: one malformed block in place of a
   * valid one.
   */
  HeaderEditor replaceExtension(int i, byte[] type, byte[] payload) {
    String e = "extension[" + i + "].";
    return set(e + "extension_type", type)
        .set(e + "extension_length", varint(payload.length))
        .set(e + "extension_payload", payload);
  }

  /**
   * Appends {@code blocks} after the header's extension blocks, numbered after them, and counts
   * them in extension_count (Spec §9.2).
   */
  HeaderEditor addExtensions(Block... blocks) {
    int n = (int) value(raw("extension_count"));
    String after = n == 0 ? "extension_count" : "extension[" + (n - 1) + "].extension_payload";
    List<Field> add = new ArrayList<>();
    for (int i = 0; i < blocks.length; i++) {
      String p = "extension[" + (n + i) + "].";
      add.add(new Field(p + "extension_type", be(blocks[i].type(), 2)));
      add.add(new Field(p + "extension_length", varint(blocks[i].length())));
      add.add(new Field(p + "extension_payload", blocks[i].payload().clone()));
    }
    set("extension_count", varint(n + blocks.length));
    return insertAfter(after, add.toArray(new Field[0]));
  }

  /** Removes fields from {@code first} to {@code last} inclusive. */
  HeaderEditor remove(String first, String last) {
    int a = index(first), b = index(last);
    fields.subList(a, b + 1).clear();
    return this;
  }

  /** Number of slices in the directory. */
  int sliceCount() {
    return (int) value(raw("slice_count"));
  }

  /** Offset of slice {@code i}'s payload within the bytes after the header. */
  private int payloadStart(int i) {
    int off = 0;
    for (int j = 0; j < i; j++) off += (int) value(raw("slice[" + j + "].payload_length"));
    return off;
  }

  /** A copy of slice {@code i}'s payload. */
  byte[] payload(int i) {
    int a = payloadStart(i);
    return Arrays.copyOfRange(rest, a, a + (int) value(raw("slice[" + i + "].payload_length")));
  }

  /**
   * Replaces slice {@code i}'s payload, with a matching payload_length and (if {@code fixCrc})
   * payload_crc, so that the slice arrives "OK" in the sense of Spec §5.4.
   */
  HeaderEditor setPayload(int i, byte[] payload, boolean fixCrc) {
    int a = payloadStart(i), len = (int) value(raw("slice[" + i + "].payload_length"));
    byte[] r = new byte[rest.length - len + payload.length];
    System.arraycopy(rest, 0, r, 0, a);
    System.arraycopy(payload, 0, r, a, payload.length);
    System.arraycopy(rest, a + len, r, a + payload.length, rest.length - a - len);
    rest = r;
    set("slice[" + i + "].payload_length", varint(payload.length));
    if (fixCrc) {
      CRC32C c = new CRC32C();
      c.update(payload);
      set("slice[" + i + "].payload_crc", be(c.getValue(), 4));
    }
    return this;
  }

  /** Byte offset of {@code name} in the header as {@link #toFile} writes it. */
  long offset(String name) {
    long off = 0;
    for (Field f : fields) {
      if (f.name.equals(name)) return off;
      off += f.raw.length;
    }
    throw new IllegalArgumentException("no field " + name);
  }

  /** Bytes of header() as it stands. */
  int headerSize() {
    int n = 0;
    for (Field f : fields) n += f.raw.length;
    return n;
  }

  /**
   * The file: header, then the original payloads and end code. With {@code consistent}, header_size
   * is set to the header's length and header_crc recomputed (Spec §2.2.2, §2.5), so that the only
   * fault is the one the caller made; otherwise both are written as they are.
   */
  byte[] toFile(boolean consistent) {
    if (consistent) {
      set("header_size", be(headerSize(), 4));
      set("header_crc", new byte[4]);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Field f : fields) out.writeBytes(f.raw);
    byte[] h = out.toByteArray();
    if (consistent) {
      CRC32C c = new CRC32C();
      c.update(h, 0, h.length - 4);
      System.arraycopy(be(c.getValue(), 4), 0, h, h.length - 4, 4);
      set("header_crc", Arrays.copyOfRange(h, h.length - 4, h.length));
    }
    byte[] file = Arrays.copyOf(h, h.length + rest.length);
    System.arraycopy(rest, 0, file, h.length, rest.length);
    return file;
  }

  /** Spec §1.4: canonical LEB128. */
  static byte[] varint(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      int b = (int) (v & 0x7F);
      v >>>= 7;
      out.write(v != 0 ? b | 0x80 : b);
    } while (v != 0);
    return out.toByteArray();
  }

  /** Big-endian unsigned of {@code n} bytes (Spec §1.3). */
  static byte[] be(long v, int n) {
    byte[] b = new byte[n];
    for (int i = n - 1; i >= 0; i--, v >>>= 8) b[i] = (byte) v;
    return b;
  }

  /** Value of a varint's bytes (no checks). */
  static long value(byte[] varint) {
    long v = 0;
    for (int i = 0; i < varint.length; i++) v |= (long) (varint[i] & 0x7F) << (7 * i);
    return v;
  }

  static long u(byte[] be) {
    long v = 0;
    for (byte b : be) v = (v << 8) | (b & 0xFF);
    return v;
  }

  private static final class Walker {
    final byte[] b;
    int pos;

    Walker(byte[] b) {
      this.b = b;
    }

    Field bytes(String name, int n) {
      Field f = new Field(name, Arrays.copyOfRange(b, pos, pos + n));
      pos += n;
      return f;
    }

    Field varint(String name) {
      int start = pos;
      while ((b[pos++] & 0x80) != 0) {
        /* continuation */
      }
      return new Field(name, Arrays.copyOfRange(b, start, pos));
    }
  }
}
