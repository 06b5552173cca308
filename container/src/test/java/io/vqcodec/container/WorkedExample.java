package io.vqcodec.container;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The file of Spec §B.1 and its annotated listing (Spec §B.2, §B.3). {@code main} prints the
 * Markdown that the spec embeds; {@link GoldenBytesTest} checks the spec against the writer.
 */
final class WorkedExample {
  private WorkedExample() {}

  /** First 16 bytes of the SHA-256 of the weights of model 2, tok-v1 (Spec §4.4). */
  static final String TOK_V1_SHA256 =
      "9e5457fcec34ef2de9ff50c4e4d20cd632c3976e143888cbdf47871416a17994";

  static ContainerHeader header() {
    return new ContainerHeader(
        PictureHeader.still(40, 24, ChannelFormat.RGB),
        new ModelId(2, HexFormat.of().parseHex(TOK_V1_SHA256)),
        new TokenGridParams(256, GranularityMode.MIXED, ProbabilityModel.ADAPTIVE_ORDER0),
        List.of(new Extension(0x4001, false, new byte[] {'v', '0'})));
  }

  static List<Slice> slices() {
    return List.of(
        new Slice(0, 1, HexFormat.of().parseHex("112233445566")),
        new Slice(1, 1, HexFormat.of().parseHex("778899aa")));
  }

  static byte[] bytes() {
    return ContainerWriter.write(header(), slices());
  }

  /** One row of the listing: offset, bytes, syntax element, value. */
  record Row(int offset, byte[] bytes, String name, String value) {}

  /** The listing, produced by walking the header syntax with a tracing writer. */
  static List<Row> rows() {
    HeaderSyntax s = HeaderSyntax.of(header(), slices());
    ContainerWriter.headerBytes(s, true); // sets header_size
    List<Row> rows = new ArrayList<>();
    FieldVisitor trace =
        new FieldVisitor() {
          final WriteVisitor w = new WriteVisitor(true);
          int pos;

          private void add(String name, String value) {
            byte[] all = w.toByteArray();
            rows.add(new Row(pos, java.util.Arrays.copyOfRange(all, pos, all.length), name, value));
            pos = all.length;
          }

          @Override
          public FieldVisitor section(String spec) {
            w.section(spec);
            return this;
          }

          @Override
          public long uint(String name, int bytes, long value, long min, long max) {
            w.uint(name, bytes, value, min, max);
            String shown =
                name.endsWith("crc")
                    ? String.format("0x%08X", value)
                    : name.endsWith("extension_type")
                        ? String.format(
                            "0x%04X: type %d, %s",
                            value, value & 0x7FFF, (value & 0x8000) != 0 ? "critical" : "ignorable")
                        : Long.toString(value);
            add(name, shown);
            return value;
          }

          @Override
          public long varint(String name, long value, long min, long max) {
            w.varint(name, value, min, max);
            add(name, Long.toString(value));
            return value;
          }

          @Override
          public byte[] bytes(String name, byte[] value, int length) {
            w.bytes(name, value, length);
            add(
                name,
                name.equals("magic")
                    ? "0x89 \"VQC\" CR LF SUB LF"
                    : name.endsWith("extension_payload")
                        ? "\""
                            + new String(value, java.nio.charset.StandardCharsets.US_ASCII)
                            + "\""
                        : name.equals("weights_hash")
                            ? "SHA-256 of tok-v1 weights, first 16 bytes"
                            : "");
            return value;
          }

          @Override
          public void require(boolean ok, FormatException.Reason reason, String message) {
            w.require(ok, reason, message);
          }

          @Override
          public void headerCrc() {
            w.headerCrc();
            byte[] all = w.toByteArray();
            long crc =
                ((all[pos] & 0xFFL) << 24)
                    | ((all[pos + 1] & 0xFF) << 16)
                    | ((all[pos + 2] & 0xFF) << 8)
                    | (all[pos + 3] & 0xFF);
            add("header_crc", String.format("0x%08X", crc));
          }

          @Override
          public boolean reading() {
            return false;
          }
        };
    try {
      s.visit(trace);
    } catch (FormatException e) {
      throw new AssertionError(e);
    }
    int pos = (int) s.headerSize;
    int i = 0;
    for (Slice sl : slices()) {
      rows.add(
          new Row(pos, sl.payload(), "slice[" + i++ + "] payload", sl.payloadSize() + " bytes"));
      pos += sl.payloadSize();
    }
    rows.add(new Row(pos, HeaderSyntax.END_CODE, "end_code", "\"VQCE\""));
    return rows;
  }

  static String table() {
    StringBuilder b =
        new StringBuilder("| offset | bytes | syntax element | value |\n|---:|---|---|---|\n");
    for (Row r : rows()) {
      b.append(
          String.format(
              "| %d | `%s` | %s | %s |%n",
              r.offset(),
              HexFormat.ofDelimiter(" ").withUpperCase().formatHex(r.bytes()),
              r.name(),
              r.value()));
    }
    return b.toString();
  }

  static String hexDump(byte[] f) {
    StringBuilder b = new StringBuilder();
    for (int off = 0; off < f.length; off += 16) {
      b.append(String.format("%04x ", off));
      for (int i = off; i < off + 16; i++) {
        b.append(i < f.length ? String.format(" %02x", f[i]) : "   ");
      }
      b.append("  |");
      for (int i = off; i < Math.min(off + 16, f.length); i++) {
        int c = f[i] & 0xFF;
        b.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
      }
      b.append("|\n");
    }
    return b.toString();
  }

  public static void main(String[] args) {
    System.out.println(table());
    System.out.println(hexDump(bytes()));
  }
}
