package io.vqcodec.conformance;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.FormatException;
import io.vqcodec.decoder.Concealment;
import io.vqcodec.decoder.DecodeOptions;
import io.vqcodec.decoder.DecodedTokens;
import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.decoder.LossSimulation;
import io.vqcodec.decoder.SliceReport;
import io.vqcodec.decoder.TokenDecoder;
import io.vqcodec.decoder.UnknownModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * This repository's decoder as a decoder under test: tokens from {@link TokenDecoder}, and, with
 * the model check on, the header and model checks of {@link ImageDecoder} (Spec §4.3), which the
 * tokens-only API does not make for prob_model_id 0 streams. The model check stops the image
 * decoder at its first slice, so no pixels are synthesised; it needs the released model on the
 * class path (loaded once).
 *
 * <p>Errors are mapped to Spec §C.4 categories from the exception type and, for {@link
 * FormatException}, its {@link FormatException#reason()}; the offset is {@link
 * FormatException#offset()}.
 */
final class JavaDecoder implements AutoCloseable {
  private final boolean modelCheck;
  private ImageDecoder imageDecoder;

  JavaDecoder(boolean modelCheck) {
    this.modelCheck = modelCheck;
  }

  /** Signals "header and model accepted" out of the image decoder's first slice callback. */
  private static final class Accepted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Accepted() {
      super(null, null, false, false);
    }
  }

  DecoderResult decode(byte[] stream) throws IOException {
    if (modelCheck) {
      try {
        imageDecoder().decode(new ByteArrayInputStream(stream),
            DecodeOptions.defaults().withConcealment(Concealment.NONE), slice -> {
              throw new Accepted();
            });
        throw new IllegalStateException("image decoder finished without reporting a slice");
      } catch (Accepted ok) {
        // header and model accepted: tokens below
      } catch (FormatException | UnknownModelException e) {
        return refusal(e);
      }
    }
    DecodedTokens t;
    try {
      t = TokenDecoder.decode(new ByteArrayInputStream(stream), LossSimulation.NONE, null);
    } catch (FormatException | UnknownModelException e) {
      return refusal(e);
    }
    ContainerHeader h = t.header();
    List<String> slices = new ArrayList<>();
    for (SliceReport s : t.slices()) slices.add(s.outcome().name());
    return new DecoderResult(false, null, -1, h.picture().width(), h.picture().height(),
        h.picture().channelFormat() == ChannelFormat.GRAY ? "gray" : "rgb", h.grid().codebookSize(),
        granularityName(h), probModelId(h), slices, t.endCodeValid() ? "ok" : "warn",
        TokenDump.sha256(t.grid()), "");
  }

  /** The canonical serialisation (Spec §C.2) of the tokens-only decoder's grid for {@code stream}. */
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

  private ImageDecoder imageDecoder() throws IOException {
    if (imageDecoder == null) imageDecoder = ImageDecoder.open();
    return imageDecoder;
  }

  @Override
  public void close() {
    if (imageDecoder != null) imageDecoder.close();
  }
}
