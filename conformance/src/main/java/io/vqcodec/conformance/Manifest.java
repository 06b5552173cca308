package io.vqcodec.conformance;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vectors/MANIFEST.tsv} (Spec §C.3): one line per vector, tab-separated, in the column order
 * of {@link #COLUMNS}; lines starting with {@code #} are comments, the first other line names the
 * columns. {@code -} marks a field that does not apply.
 */
public final class Manifest {
  /** Column names, in file order. */
  public static final List<String> COLUMNS =
      List.of(
          "name",
          "stream_sha256",
          "bytes",
          "expect",
          "error",
          "error_offset",
          "width",
          "height",
          "channel",
          "k",
          "granularity",
          "prob_model",
          "slices",
          "end_code",
          "tokens_sha256",
          "sections",
          "description");

  /** File name of the manifest inside the vectors folder. */
  public static final String FILE = "MANIFEST.tsv";

  private Manifest() {}

  /**
   * One vector and what a conforming decoder does with it.
   *
   * @param name file name of the stream in the vectors folder
   * @param streamSha256 SHA-256 of the stream file, lower-case hex
   * @param bytes size of the stream file
   * @param expect {@code decode} or {@code refuse}
   * @param error for {@code refuse}: the error category of Spec §C.4; else {@code -}
   * @param errorOffset for {@code refuse}: byte offset of the offending syntax element, or -1
   * @param width picture width ({@code decode} only; else -1, as for height, k and probModel)
   * @param height picture height
   * @param channel {@code rgb} or {@code gray}
   * @param k codebook size
   * @param granularity {@code mixed}, {@code all-coarse} or {@code all-fine}
   * @param probModel prob_model_id
   * @param slices per-slice outcomes of Spec §C.4, comma-separated, in slice order
   * @param endCode {@code ok} (end code present) or {@code warn} (missing or different, §2.6)
   * @param tokensSha256 SHA-256 of the canonical token serialisation (Spec §C.2)
   * @param sections spec sections the vector exercises
   * @param description one sentence
   */
  public record Entry(
      String name,
      String streamSha256,
      long bytes,
      String expect,
      String error,
      long errorOffset,
      int width,
      int height,
      String channel,
      int k,
      String granularity,
      int probModel,
      String slices,
      String endCode,
      String tokensSha256,
      String sections,
      String description) {

    /**
     * The entry of a stream a decoder must decode: the picture and coding columns from the stream's
     * own header (Spec §3.2, §6.2, §8.1), the outcomes and the expected output given.
     *
     * @param slices the slice outcomes, as the {@code slices} column holds them
     * @throws IOException if the stream's header does not parse
     */
    public static Entry decoded(
        String name,
        byte[] stream,
        String slices,
        String endCode,
        String tokensSha256,
        String sections,
        String description)
        throws IOException {
      ContainerHeader h = ContainerReader.open(stream).header();
      return new Entry(
          name,
          TokenDump.sha256(stream),
          stream.length,
          "decode",
          "-",
          -1,
          h.picture().width(),
          h.picture().height(),
          h.picture().channelFormat() == ChannelFormat.GRAY ? "gray" : "rgb",
          h.grid().codebookSize(),
          JavaDecoder.granularityName(h),
          JavaDecoder.probModelId(h),
          slices,
          endCode,
          tokensSha256,
          sections,
          description);
    }

    /**
     * The entry of a stream a decoder must refuse with {@code error} at {@code errorOffset} (-1:
     * none): the decode columns are empty.
     */
    public static Entry refusal(
        String name,
        byte[] stream,
        String error,
        long errorOffset,
        String sections,
        String description) {
      return new Entry(
          name,
          TokenDump.sha256(stream),
          stream.length,
          "refuse",
          error,
          errorOffset,
          -1,
          -1,
          "-",
          -1,
          "-",
          -1,
          "-",
          "-",
          "-",
          sections,
          description);
    }

    public boolean decodes() {
      return expect.equals("decode");
    }

    String line() {
      boolean d = decodes();
      return String.join(
          "\t",
          name,
          streamSha256,
          Long.toString(bytes),
          expect,
          error,
          errorOffset < 0 ? "-" : Long.toString(errorOffset),
          d ? Integer.toString(width) : "-",
          d ? Integer.toString(height) : "-",
          d ? channel : "-",
          d ? Integer.toString(k) : "-",
          d ? granularity : "-",
          d ? Integer.toString(probModel) : "-",
          d ? slices : "-",
          d ? endCode : "-",
          d ? tokensSha256 : "-",
          sections,
          description);
    }

    static Entry parse(String line, int lineNo) {
      String[] f = line.split("\t", -1);
      if (f.length != COLUMNS.size()) {
        throw new IllegalArgumentException(
            FILE + " line " + lineNo + ": " + f.length + " fields, expected " + COLUMNS.size());
      }
      return new Entry(
          f[0],
          f[1],
          Long.parseLong(f[2]),
          f[3],
          f[4],
          num(f[5]),
          (int) num(f[6]),
          (int) num(f[7]),
          f[8],
          (int) num(f[9]),
          f[10],
          (int) num(f[11]),
          f[12],
          f[13],
          f[14],
          f[15],
          f[16]);
    }

    private static long num(String s) {
      return s.equals("-") ? -1 : Long.parseLong(s);
    }
  }

  /** Reads a manifest. */
  public static List<Entry> read(Path file) throws IOException {
    List<Entry> out = new ArrayList<>();
    boolean header = true;
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      if (line.isBlank() || line.startsWith("#")) continue;
      if (header) {
        if (!List.of(line.split("\t", -1)).equals(COLUMNS)) {
          throw new IOException(file + " line " + n + ": column names differ from " + COLUMNS);
        }
        header = false;
        continue;
      }
      try {
        out.add(Entry.parse(line, n));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** Writes a manifest with a comment header. */
  public static void write(Path file, List<Entry> entries) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append(
        "# vqcodec conformance vectors, bitstream version 0.1. Format: bitstream-spec/C-conformance.md §C.3.\n");
    b.append("# Generated by io.vqcodec.tools.vectors.VectorGenerator; do not edit by hand.\n");
    b.append(String.join("\t", COLUMNS)).append('\n');
    for (Entry e : entries) b.append(e.line()).append('\n');
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }
}
