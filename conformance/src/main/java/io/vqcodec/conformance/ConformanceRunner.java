package io.vqcodec.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a decoder against {@code vectors/MANIFEST.tsv} (Spec §C.5) and prints one line per vector
 * and a summary; exits 0 when every vector passes, 1 otherwise, 2 on a usage error.
 *
 * <pre>
 * ConformanceRunner [--vectors DIR] [--tokens-dir DIR] [--write-tokens DIR] [--capabilities LIST]
 * </pre>
 *
 * <ul>
 *   <li>default: this repository's decoder ({@link JavaDecoder}) decodes every vector;
 *   <li>{@code --tokens-dir DIR}: another implementation's output is checked instead, one {@code
 *       NAME.tokens} (canonical serialisation, §C.2) and/or {@code NAME.result} (§C.5) per vector,
 *       NAME being the vector's file name without {@code .vqc};
 *   <li>{@code --write-tokens DIR}: also writes this decoder's output in that form (a reference for
 *       other implementations).
 *   <li>{@code --capabilities LIST}: the capabilities the decoder states (Spec §C.7,
 *       comma-separated, for example {@code core,coded-resolution}; default all): a vector that
 *       needs another is only checked to be refused (reported {@code PASS (partial)}).
 * </ul>
 */
public final class ConformanceRunner {
  private ConformanceRunner() {}

  /** A decoder under test: a vector's bytes in, a result out. */
  @FunctionalInterface
  public interface Decoder {
    /**
     * @param name the vector's file name, @param stream its bytes
     */
    DecoderResult decode(String name, byte[] stream) throws IOException;
  }

  /** The verdict on one vector: pass, or the first difference found. */
  public record Verdict(String name, boolean pass, String reason) {
    @Override
    public String toString() {
      if (pass && reason.startsWith("partial")) return "PASS (partial) " + name + ": " + reason;
      return (pass ? "PASS " : "FAIL ") + name + (reason.isEmpty() ? "" : ": " + reason);
    }
  }

  public static void main(String[] args) throws IOException {
    Path root = Path.of(System.getProperty("vqcodec.root", "."));
    Path vectors = root.resolve("conformance/vectors");
    Path tokensDir = null, writeDir = null;
    Set<Capability> claimed = EnumSet.allOf(Capability.class);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--vectors" -> vectors = Path.of(args[++i]);
        case "--tokens-dir" -> tokensDir = Path.of(args[++i]);
        case "--write-tokens" -> writeDir = Path.of(args[++i]);
        case "--capabilities" -> {
          claimed = EnumSet.of(Capability.CORE);
          try {
            for (String c : args[++i].split(",")) {
              if (!c.isBlank()) claimed.add(Capability.of(c));
            }
          } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
          }
        }
        default -> {
          System.err.println(
              "usage: ConformanceRunner [--vectors DIR] [--tokens-dir DIR] "
                  + "[--write-tokens DIR] [--capabilities LIST]");
          System.exit(2);
        }
      }
    }
    List<Manifest.Entry> manifest = Manifest.read(vectors.resolve(Manifest.FILE));
    List<Verdict> verdicts;
    long t0 = System.nanoTime();
    if (tokensDir != null) {
      verdicts = check(manifest, vectors, fromDirectory(tokensDir), claimed);
    } else {
      Path w = writeDir;
      if (w != null) Files.createDirectories(w);
      verdicts =
          check(
              manifest,
              vectors,
              (name, stream) -> {
                DecoderResult r = JavaDecoder.decode(stream);
                if (w != null) writeResult(w, name, r, stream);
                return r;
              },
              claimed);
    }
    long failed = verdicts.stream().filter(v -> !v.pass()).count();
    for (Verdict v : verdicts) System.out.println(v);
    System.out.printf(
        Locale.ROOT,
        "%d vectors: %d passed, %d failed (%.1f s)%n",
        verdicts.size(),
        verdicts.size() - failed,
        failed,
        (System.nanoTime() - t0) / 1e9);
    System.exit(failed == 0 ? 0 : 1);
  }

  /** Runs {@code decoder}, which states every capability, over every vector of {@code manifest}. */
  public static List<Verdict> check(List<Manifest.Entry> manifest, Path vectors, Decoder decoder) {
    return check(manifest, vectors, decoder, EnumSet.allOf(Capability.class));
  }

  /**
   * Runs {@code decoder}, which states the capabilities {@code claimed}, over every vector of
   * {@code manifest} (Spec §C.5, §C.7): a vector that needs a capability not claimed passes if the
   * decoder refuses it with its own category (refuse vectors) or one a lacking capability gives.
   */
  public static List<Verdict> check(
      List<Manifest.Entry> manifest, Path vectors, Decoder decoder, Set<Capability> claimed) {
    List<Verdict> out = new ArrayList<>();
    for (Manifest.Entry e : manifest) {
      String reason;
      try {
        byte[] b = Files.readAllBytes(vectors.resolve(e.name()));
        String sha = TokenDump.sha256(b);
        if (!sha.equals(e.streamSha256())) {
          reason = "vector file differs from the manifest (sha256 " + sha + ")";
        } else {
          Set<Capability> lacking = EnumSet.copyOf(Capability.needed(e));
          lacking.removeAll(claimed);
          if (lacking.isEmpty()) {
            reason = compare(e, decoder.decode(e.name(), b));
          } else if (Capability.notApplicable(e, lacking)) {
            out.add(
                new Verdict(e.name(), true, "partial: not applicable without " + names(lacking)));
            continue;
          } else {
            reason = comparePartial(e, decoder.decode(e.name(), b), lacking);
            if (reason.isEmpty()) {
              out.add(new Verdict(e.name(), true, "partial: needs " + names(lacking)));
              continue;
            }
          }
        }
      } catch (IOException | RuntimeException ex) {
        reason = "decoder threw " + ex;
      }
      out.add(new Verdict(e.name(), reason.isEmpty(), reason));
    }
    return out;
  }

  /**
   * Spec §C.7: a decoder that lacks {@code lacking} owes a refusal, with the vector's own category
   * (refuse vectors) or one of those the lacking capabilities give; "" if it refused so.
   */
  static String comparePartial(Manifest.Entry e, DecoderResult r, Set<Capability> lacking) {
    Set<String> ok = new TreeSet<>();
    for (Capability c : lacking) ok.add(c.refusal.name());
    if (!e.decodes()) ok.add(e.error());
    if (!r.refused()) return "decoded; a decoder without " + names(lacking) + " refuses it";
    if (!ok.contains(r.error())) {
      return "refused as " + r.error() + ", expected one of " + ok + " (" + r.detail() + ")";
    }
    return "";
  }

  private static String names(Set<Capability> c) {
    List<String> n = new ArrayList<>();
    for (Capability x : c) n.add(x.specName());
    return String.join(",", n);
  }

  /** The first difference between what the manifest expects and {@code r}, or "" if none. */
  static String compare(Manifest.Entry e, DecoderResult r) {
    if (!e.decodes()) {
      if (!r.refused()) return "decoded; expected refusal " + e.error();
      if (!e.error().equals(r.error())) {
        return "refused as " + r.error() + ", expected " + e.error() + " (" + r.detail() + ")";
      }
      if (e.errorOffset() >= 0 && r.errorOffset() >= 0 && e.errorOffset() != r.errorOffset()) {
        return "error at byte "
            + r.errorOffset()
            + ", expected "
            + e.errorOffset()
            + " ("
            + r.detail()
            + ")";
      }
      return "";
    }
    if (r.refused()) return "refused (" + r.error() + ": " + r.detail() + "); expected to decode";
    List<String> d = new ArrayList<>();
    if (r.width() != 0 && (r.width() != e.width() || r.height() != e.height())) {
      d.add("size " + r.width() + "x" + r.height() + ", expected " + e.width() + "x" + e.height());
    }
    if (r.channel() != null && !r.channel().equals(e.channel())) d.add("channel " + r.channel());
    if (r.k() != 0 && r.k() != e.k()) d.add("K " + r.k());
    if (r.granularity() != null && !r.granularity().equals(e.granularity()))
      d.add("granularity " + r.granularity());
    if (r.probModel() >= 0 && r.probModel() != e.probModel()) d.add("prob_model " + r.probModel());
    if (r.slices() != null && !String.join(",", r.slices()).equals(e.slices())) {
      d.add("slices " + String.join(",", r.slices()) + ", expected " + e.slices());
    }
    if (r.endCode() != null && !r.endCode().equals(e.endCode())) d.add("end code " + r.endCode());
    if (!Objects.equals(r.tokensSha256(), e.tokensSha256())) {
      d.add(
          r.tokensSha256() == null
              ? "no tokens"
              : "token grid differs (sha256 " + r.tokensSha256() + ")");
    }
    return String.join("; ", d);
  }

  /**
   * Another implementation's output, read from {@code dir} (Spec §C.5): {@code NAME.tokens}, the
   * canonical serialisation of the decoded grid, and/or {@code NAME.result}, one line {@code
   * decoded [OUTCOME,...]} or {@code refused CATEGORY [OFFSET]}.
   */
  public static Decoder fromDirectory(Path dir) {
    return (name, stream) -> {
      String base = name.endsWith(".vqc") ? name.substring(0, name.length() - 4) : name;
      Path tokens = dir.resolve(base + ".tokens"), result = dir.resolve(base + ".result");
      String[] f =
          Files.exists(result)
              ? Files.readString(result, StandardCharsets.UTF_8).strip().split("\\s+")
              : new String[0];
      if (f.length > 0 && f[0].equals("refused")) {
        if (f.length < 2) throw new IOException(result + ": 'refused' without a category");
        return DecoderResult.refusal(
            f[1], f.length > 2 ? Long.parseLong(f[2]) : -1, "from " + result);
      }
      if (f.length > 0 && !f[0].equals("decoded")) {
        throw new IOException(result + ": expected 'decoded' or 'refused', got '" + f[0] + "'");
      }
      if (!Files.exists(tokens))
        throw new IOException("no " + tokens + (f.length == 0 ? " and no " + result : ""));
      List<String> slices = f.length > 1 ? Arrays.asList(f[1].split(",")) : null;
      return DecoderResult.tokens(TokenDump.sha256(Files.readAllBytes(tokens)), slices);
    };
  }

  /** Writes {@code r} in the form {@link #fromDirectory} reads. */
  static void writeResult(Path dir, String name, DecoderResult r, byte[] stream)
      throws IOException {
    String base = name.substring(0, name.length() - 4);
    if (r.refused()) {
      Files.writeString(
          dir.resolve(base + ".result"),
          "refused " + r.error() + (r.errorOffset() >= 0 ? " " + r.errorOffset() : "") + "\n",
          StandardCharsets.UTF_8);
      return;
    }
    Files.writeString(
        dir.resolve(base + ".result"),
        "decoded " + String.join(",", r.slices()) + "\n",
        StandardCharsets.UTF_8);
    Files.write(dir.resolve(base + ".tokens"), JavaDecoder.tokens(stream));
  }
}
