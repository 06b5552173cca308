package io.vqcodec.tools.bench;

import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerReader;
import io.vqcodec.container.ContainerWriter;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.container.Slice;
import io.vqcodec.container.TokenGridParams;
import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.TokenModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Whole files and token speed of every token probability model (Spec §8.1) on real pictures: each
 * image is encoded once at the default quality; its token grid is then coded with adaptive order-0,
 * the context prior and the two-stage model into complete streams (same header fields, slices and
 * grid; only the model id and prob_model_id differ), each checked to decode to the same grid.
 * Reports whole-file bits against a uniform code of the tokens ({@code tokens * log2 K}), and
 * single-thread token encode and decode speed (run with {@code -Dvqcodec.threads=1}).
 *
 * <p>Usage: {@code TokenModelReport --images DIR --out FILE.md [--reps 5] [--model PACKAGE_DIR]}:
 * with {@code --model}, the pictures are encoded with that package's tokenizer instead of the
 * default one (its streams are decoded through the registry, so the package must be on the class
 * path: listed in {@code registry.properties}). Never on Kodak for choosing anything; the
 * validation images are for that.
 */
public final class TokenModelReport {
  private TokenModelReport() {}

  static final ProbabilityModel[] MODELS = {
    ProbabilityModel.ADAPTIVE_ORDER0, ProbabilityModel.GAUSSIAN_MIXTURE, ProbabilityModel.TWO_STAGE
  };

  public static void main(String[] args) throws Exception {
    Path images = null, out = null, model = null;
    int reps = 5;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--images" -> images = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--reps" -> reps = Integer.parseInt(args[i + 1]);
        case "--model" -> model = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(images)) {
      files =
          s.filter(p -> p.toString().matches("(?i).*\\.(png|jpe?g|bmp|tiff?)$")).sorted().toList();
    }
    int m = MODELS.length;
    long[] bytes = new long[m], slicesBytes = new long[m];
    double uniformBits = 0;
    long tokens = 0;
    long[] encNanos = new long[m], decNanos = new long[m];
    long codedTokens = 0;
    int worseThanUniform[] = new int[m], slices = 0;
    StringBuilder rows = new StringBuilder();
    String modelName;
    long modelId, twoStageId;
    try (Tokenizer tok =
            model == null
                ? Tokenizer.loadDefault()
                : Tokenizer.open(ModelRegistry.loadFolder(model));
        ImageEncoder encoder = ImageEncoder.using(tok)) {
      modelName = tok.model().name();
      modelId = tok.model().id();
      twoStageId = tok.model().twoStageId();
      for (Path f : files) {
        BufferedImage img = ImageIO.read(f.toFile());
        if (img == null) continue;
        EncodedPicture pic = encoder.encode(img, EncoderOptions.defaults());
        DecodedTokens dt =
            TokenDecoder.decode(new ByteArrayInputStream(pic.bytes()), LossSimulation.NONE, null);
        ContainerReader reader = ContainerReader.open(pic.bytes());
        List<Slice> original = new ArrayList<>();
        for (Slice s; (s = reader.nextSlice()) != null; ) original.add(s);
        int sliceRows = original.get(0).rowCount();
        ContainerHeader h = dt.header();
        TokenGrid grid = dt.grid();
        ModelPackage pkg = dt.model();
        int k = grid.codebookSize();
        double lg = Integer.numberOfTrailingZeros(k);
        uniformBits += grid.tokenCount() * lg;
        tokens += grid.tokenCount();
        slices += original.size();
        rows.append(
            String.format(
                Locale.ROOT,
                "| %s | %dx%d | K=%d | %d |",
                name(images, f),
                img.getWidth(),
                img.getHeight(),
                k,
                grid.tokenCount()));
        for (int i = 0; i < m; i++) {
          long id = MODELS[i] == ProbabilityModel.TWO_STAGE ? pkg.twoStageId() : pkg.id();
          TokenModel params = pkg.tokenModel(MODELS[i], id, k);
          List<byte[]> payloads = null;
          long t0 = System.nanoTime();
          for (int r = 0; r < reps; r++)
            payloads = SliceCoder.encodeSlices(params, grid, sliceRows, h.grid().granularityMode());
          encNanos[i] += (System.nanoTime() - t0) / reps;
          List<Slice> sl = new ArrayList<>();
          for (int j = 0; j < payloads.size(); j++) {
            Slice o = original.get(j);
            sl.add(new Slice(o.firstRow(), o.rowCount(), payloads.get(j)));
            slicesBytes[i] += payloads.get(j).length;
            // a slice worse than a uniform code of its tokens
            if (payloads.get(j).length * 8.0 > sliceTokens(grid, o) * lg) worseThanUniform[i]++;
          }
          ContainerHeader nh =
              new ContainerHeader(
                  h.picture(),
                  new ModelId(id, h.model().weightsHash()),
                  new TokenGridParams(k, h.grid().granularityMode(), MODELS[i]),
                  h.extensions());
          byte[] file = ContainerWriter.write(nh, sl);
          bytes[i] += file.length;
          DecodedTokens back = null;
          t0 = System.nanoTime();
          for (int r = 0; r < reps; r++)
            back = TokenDecoder.decode(new ByteArrayInputStream(file), LossSimulation.NONE, null);
          decNanos[i] += (System.nanoTime() - t0) / reps;
          if (!back.grid().equals(grid))
            throw new IllegalStateException(f + ": " + MODELS[i] + " does not round-trip");
          rows.append(
              String.format(
                  Locale.ROOT,
                  " %d (%.3f) |",
                  file.length,
                  file.length * 8.0 / (grid.tokenCount() * lg)));
        }
        rows.append('\n');
        codedTokens += grid.tokenCount();
        System.out.print(rows.substring(rows.lastIndexOf("| " + name(images, f))));
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("# Token probability models on ").append(images).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Tokenizer: %s (model id %d; two-stage model id %d). %d pictures at the default"
                + " quality, %d tokens, %d slices; whole files (header, flags, slice framing"
                + " included) against a uniform code of the tokens (tokens x log2 K bits = %.0f"
                + " bytes); bits per token = whole-file bits / tokens. Speed: tokens per second of one"
                + " thread (`-Dvqcodec.threads=1`), in process, warm, median-free mean of %d"
                + " repetitions per picture; decode includes parsing the container.%n%n",
            modelName,
            modelId,
            twoStageId,
            files.size(),
            tokens,
            slices,
            uniformBits / 8,
            reps));
    md.append(
        "| model | whole files, bytes | bits per token | of uniform | slices only, of uniform | slices worse than uniform | encode tokens/s | decode tokens/s |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < m; i++) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.3f | %.3f | %.3f | %d | %.0f | %.0f |%n",
              MODELS[i],
              bytes[i],
              bytes[i] * 8.0 / tokens,
              bytes[i] * 8 / uniformBits,
              slicesBytes[i] * 8 / uniformBits,
              worseThanUniform[i],
              codedTokens / (encNanos[i] / 1e9),
              codedTokens / (decNanos[i] / 1e9)));
    }
    md.append(
        "\n| picture | size | K | tokens | order-0 bytes (of uniform) | context prior | two-stage |\n");
    md.append("|---|---|---|---:|---:|---:|---:|\n");
    md.append(rows);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
    System.out.print(md);
  }

  static String name(Path root, Path f) {
    return root.relativize(f).toString().replace('\\', '/');
  }

  static int sliceTokens(TokenGrid g, Slice s) {
    int n = 0;
    for (int cy = s.firstRow(); cy < s.firstRow() + s.rowCount(); cy++)
      for (int cx = 0; cx < g.cellsWide(); cx++) n += g.isFine(cx, cy) ? 4 : 1;
    return n;
  }
}
