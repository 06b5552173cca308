package io.vqcodec.conformance;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.FormatException;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.SliceReport;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.UnknownModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * This repository's decoder as a decoder under test: {@link TokenDecoder} over the released model
 * packages ({@link ModelRegistry#builtIn()}), which makes the model checks of Spec §4.3 and
 * §8.3.2.1 before any slice. Needs no neural network: only the normative core and the model
 * packages' data are on the class path.
 *
 * <p>Errors are mapped to Spec §C.4 categories from the exception type and, for {@link
 * FormatException}, its {@link FormatException#reason()}; the offset is {@link
 * FormatException#offset()}.
 */
final class JavaDecoder {
  private JavaDecoder() {}

  static DecoderResult decode(byte[] stream) throws IOException {
    DecodedTokens t;
    try {
      t = TokenDecoder.decode(new ByteArrayInputStream(stream), LossSimulation.NONE, null);
    } catch (FormatException | UnknownModelException e) {
      return refusal(e);
    }
    ContainerHeader h = t.header();
    List<String> slices = new ArrayList<>();
    for (SliceReport s : t.slices()) slices.add(s.outcome().name());
    return new DecoderResult(
        false,
        null,
        -1,
        h.picture().width(),
        h.picture().height(),
        h.picture().channelFormat() == ChannelFormat.GRAY ? "gray" : "rgb",
        h.grid().codebookSize(),
        granularityName(h),
        probModelId(h),
        slices,
        t.endCodeValid() ? "ok" : "warn",
        TokenDump.sha256(t.grid()),
        "");
  }

  /** The canonical serialisation (Spec §C.2) of the decoder's grid for {@code stream}. */
  static byte[] tokens(byte[] stream) throws IOException {
    return TokenDump.serialize(
        TokenDecoder.decode(new ByteArrayInputStream(stream), LossSimulation.NONE, null).grid());
  }

  static String granularityName(ContainerHeader h) {
    return h.grid().granularityMode().name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static int probModelId(ContainerHeader h) {
    return switch (h.grid().probabilityModel()) {
      case ADAPTIVE_ORDER0 -> 0;
      case GAUSSIAN_MIXTURE -> 2;
      case TWO_STAGE -> 3;
    };
  }

  private static DecoderResult refusal(IOException e) {
    if (e instanceof UnknownModelException) {
      return DecoderResult.refusal(ErrorCategory.UNKNOWN_MODEL.name(), -1, e.getMessage());
    }
    FormatException f = (FormatException) e;
    return DecoderResult.refusal(category(f).name(), f.offset(), f.getMessage());
  }

  /** Spec §C.4: the category is the reader's reason, one for one. */
  static ErrorCategory category(FormatException e) {
    return ErrorCategory.valueOf(e.reason().name());
  }
}
