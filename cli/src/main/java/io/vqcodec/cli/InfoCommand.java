package io.vqcodec.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.SliceReport;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.TokenGrid;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vqcodec info IN}: what a .vqc file holds, read without the neural network. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description =
        "Describes a .vqc file: picture, model, token grid, slices and bytes per part (no pixels decoded).",
    footerHeading = "%nExamples:%n",
    footer = {"  vqcodec info photo.vqc", "  vqcodec info --json photo.vqc", "", ExitCode.HELP})
final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin Vqcodec.Verbosity verbosity;

  @Parameters(paramLabel = "IN", description = "A .vqc file.")
  Path input;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  /** Everything info reports, gathered once. */
  record Facts(long fileBytes, DecodedTokens tokens, int coarseCells, int fineCells) {
    ContainerHeader header() {
      return tokens.header();
    }
  }

  @Override
  public Integer call() throws Exception {
    if (VideoJobs.isVideoStream(input)) {
      VideoJobs.info(input, json, spec.commandLine().getOut());
      return ExitCode.OK;
    }
    Facts f = read(input);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      printJson(f, out);
    } else {
      printText(f, out);
    }
    out.flush();
    return ExitCode.OK;
  }

  static Facts read(Path input) throws CliException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(input))) {
      long size = Files.size(input);
      DecodedTokens t = TokenDecoder.decode(in, LossSimulation.NONE, null);
      TokenGrid g = t.grid();
      int fine = 0, coarse = 0;
      for (int cy = 0; cy < g.cellsHigh(); cy++) {
        for (int cx = 0; cx < g.cellsWide(); cx++) {
          if (g.isFine(cx, cy)) fine++;
          else coarse++;
        }
      }
      return new Facts(size, t, coarse, fine);
    } catch (IOException e) {
      throw DecodeCommand.streamFailure(input, e);
    }
  }

  /** Fine cells by their stage count (index 1 .. 3; Spec §6.8.1). */
  private static int[] stagedCells(TokenGrid g) {
    int[] n = new int[TokenGrid.MAX_STAGES + 1];
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) n[g.cellStages(cx, cy)]++;
    }
    return n;
  }

  private static void printText(Facts f, PrintWriter out) {
    ContainerHeader h = f.header();
    DecodedTokens t = f.tokens();
    out.printf(
        Locale.ROOT,
        "picture      %dx%d %s, %d bit, %d frame%n",
        h.picture().width(),
        h.picture().height(),
        h.picture().channelFormat(),
        h.picture().bitDepth(),
        h.picture().frameCount());
    if (h.resolutionShift() > 0) {
      out.printf(
          Locale.ROOT,
          "coded at     %dx%d (1/%d resolution, Spec §9.6.1)%n",
          h.codedWidth(),
          h.codedHeight(),
          1 << h.resolutionShift());
    }
    out.printf(
        Locale.ROOT,
        "model        id %d, weights sha256 %s...%n",
        h.model().id(),
        HexFormat.of().formatHex(h.model().weightsHash()));
    out.printf(
        Locale.ROOT,
        "tokens       K=%d, %s, probability model %s%n",
        h.grid().codebookSize(),
        h.grid().granularityMode(),
        h.grid().probabilityModel());
    out.printf(
        Locale.ROOT,
        "cells        %d coarse (%d tokens), %d fine (%d tokens)%n",
        f.coarseCells(),
        f.coarseCells(),
        f.fineCells(),
        4 * f.fineCells());
    if (h.stageCount() > 1) {
      int[] staged = stagedCells(t.grid());
      out.printf(
          Locale.ROOT,
          "stages       up to %d (Spec §9.6.2, codebooks of K=%d): %d cells with 2, %d with 3 (%d"
              + " stage tokens)%n",
          h.stageCount(),
          h.stageCodebookSize(),
          staged[2],
          staged[3],
          t.grid().stageTokenCount());
    }
    if (h.hasPixelResidual()) {
      out.printf(
          Locale.ROOT,
          "residual     pixel residual (Spec §9.6.4), luma step %.2f, chroma step %.2f: %d bytes of"
              + " the slices%n",
          h.residualLumaStep() / 4.0,
          h.residualChromaStep() / 4.0,
          residualBytes(t));
    }
    out.printf(
        Locale.ROOT,
        "bytes        %d total, %.4f bpp: header %d, slices %d, end code %d%n",
        f.fileBytes(),
        8.0 * f.fileBytes() / ((double) h.picture().width() * h.picture().height()),
        t.headerBytes(),
        t.payloadBytes(),
        f.fileBytes() - t.headerBytes() - t.payloadBytes());
    for (SliceReport s : t.slices()) {
      out.printf(
          Locale.ROOT,
          "slice %-6d cell rows %d..%d, %d bytes, %s%s%n",
          s.index(),
          s.firstRow(),
          s.firstRow() + s.rowCount() - 1,
          s.payloadBytes(),
          s.outcome().name().toLowerCase(Locale.ROOT),
          s.detail().isEmpty() ? "" : " (" + s.detail() + ")");
    }
  }

  /** Bytes of the residual parts of the slices that arrived (Spec §6.9.1); 0 without a residual. */
  private static long residualBytes(DecodedTokens t) {
    long n = 0;
    for (byte[] part : t.residualParts()) n += part == null ? 0 : part.length;
    return n;
  }

  private static void printJson(Facts f, PrintWriter out) throws IOException {
    ContainerHeader h = f.header();
    DecodedTokens t = f.tokens();
    try (JsonGenerator g = new JsonFactory().createGenerator(out).useDefaultPrettyPrinter()) {
      g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      g.writeStartObject();
      g.writeNumberField("width", h.picture().width());
      g.writeNumberField("height", h.picture().height());
      g.writeNumberField("frames", h.picture().frameCount());
      g.writeStringField("channels", h.picture().channelFormat().name().toLowerCase(Locale.ROOT));
      g.writeNumberField("bit_depth", h.picture().bitDepth());
      g.writeNumberField("coded_width", h.codedWidth());
      g.writeNumberField("coded_height", h.codedHeight());
      g.writeNumberField("codebook_size", h.grid().codebookSize());
      g.writeStringField(
          "granularity_mode", h.grid().granularityMode().name().toLowerCase(Locale.ROOT));
      g.writeStringField(
          "probability_model", h.grid().probabilityModel().name().toLowerCase(Locale.ROOT));
      g.writeObjectFieldStart("model");
      g.writeNumberField("id", h.model().id());
      g.writeStringField(
          "weights_sha256_prefix", HexFormat.of().formatHex(h.model().weightsHash()));
      g.writeEndObject();
      g.writeObjectFieldStart("tokens");
      g.writeNumberField("coarse_cells", f.coarseCells());
      g.writeNumberField("fine_cells", f.fineCells());
      g.writeNumberField("coarse", f.coarseCells());
      g.writeNumberField("fine", 4 * f.fineCells());
      g.writeNumberField("stage_count", h.stageCount());
      g.writeNumberField("stage_tokens", t.grid().stageTokenCount());
      g.writeNumberField("lost", t.lostTokens());
      g.writeEndObject();
      g.writeObjectFieldStart("bytes");
      g.writeNumberField("total", f.fileBytes());
      g.writeNumberField("header", t.headerBytes());
      g.writeNumberField("slices", t.payloadBytes());
      g.writeNumberField("end_code", f.fileBytes() - t.headerBytes() - t.payloadBytes());
      g.writeNumberField("residual", residualBytes(t));
      g.writeEndObject();
      if (h.hasPixelResidual()) {
        g.writeObjectFieldStart("pixel_residual");
        g.writeNumberField("luma_step", h.residualLumaStep() / 4.0);
        g.writeNumberField("chroma_step", h.residualChromaStep() / 4.0);
        g.writeEndObject();
      }
      g.writeNumberField(
          "bpp", 8.0 * f.fileBytes() / ((double) h.picture().width() * h.picture().height()));
      g.writeArrayFieldStart("slices");
      for (SliceReport s : t.slices()) {
        g.writeStartObject();
        g.writeNumberField("first_row", s.firstRow());
        g.writeNumberField("row_count", s.rowCount());
        g.writeNumberField("bytes", s.payloadBytes());
        g.writeStringField("status", s.outcome().name().toLowerCase(Locale.ROOT));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.println();
  }
}
