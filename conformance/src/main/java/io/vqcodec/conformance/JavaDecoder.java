package io.vqcodec.conformance;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerReader;
import io.vqcodec.container.FormatException;
import io.vqcodec.container.FrameIndex;
import io.vqcodec.container.FrameType;
import io.vqcodec.container.VideoReader;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.ModelCatalogue;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.SliceReport;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.UnknownModelException;
import io.vqcodec.tokens.VideoTokenDecoder;
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
    return decode(stream, ModelRegistry.builtIn());
  }

  /** {@link #decode(byte[])} with the model packages {@code models}. */
  static DecoderResult decode(byte[] stream, ModelCatalogue models) throws IOException {
    if (isVideo(stream)) return video(stream, models).result;
    DecodedTokens t;
    // The slice outcomes as the streaming API reports them, one by one in stream order.
    List<String> slices = new ArrayList<>();
    try {
      t =
          TokenDecoder.decode(
              new ByteArrayInputStream(stream),
              models,
              LossSimulation.NONE,
              report -> slices.add(report.outcome().name()));
    } catch (FormatException | UnknownModelException e) {
      return refusal(e);
    }
    return decoded(t.header(), slices, t.endCodeValid(), TokenDump.sha256(t));
  }

  /** A decoded stream's result: the header's fields, the slice outcomes and the token hash. */
  private static DecoderResult decoded(
      ContainerHeader h, List<String> slices, boolean endCodeValid, String tokensSha256) {
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
        endCodeValid ? "ok" : "warn",
        tokensSha256,
        "");
  }

  /**
   * The canonical serialisation of the decoder's output for {@code stream}: a picture's grid (Spec
   * §C.2) and residual (§C.2.2), or a video's frames and index (Spec §C.2.1).
   */
  static byte[] tokens(byte[] stream) throws IOException {
    if (isVideo(stream)) return video(stream, ModelRegistry.builtIn()).dump.bytes();
    return TokenDump.serialize(
        TokenDecoder.decode(new ByteArrayInputStream(stream), LossSimulation.NONE, null));
  }

  /** Whether the stream's header is readable and a video's (profile 1, Spec §10.2). */
  private static boolean isVideo(byte[] stream) {
    try {
      return ContainerReader.open(stream).header().picture().isVideo();
    } catch (IOException e) {
      return false; // the picture decoder refuses it for the same reason
    }
  }

  private record Video(DecoderResult result, VideoDump dump) {}

  /**
   * A video through {@link VideoTokenDecoder} (Spec §10): each frame decoded or lost, frames whose
   * numbers were skipped lost (Spec §10.7), then the frame index the decoder reached (Spec §10.6).
   * The slice outcomes are per frame, frames separated by {@code ;}, a lost frame {@code LOST}
   * (Spec §C.3).
   */
  private static Video video(byte[] stream, ModelCatalogue models) throws IOException {
    VideoTokenDecoder d;
    try {
      d = VideoTokenDecoder.open(new ByteArrayInputStream(stream), models, Long.MAX_VALUE);
    } catch (FormatException | UnknownModelException e) {
      return new Video(refusal(e), null);
    }
    ContainerHeader h = d.header();
    VideoDump dump = new VideoDump();
    List<String> frames = new ArrayList<>();
    for (VideoTokenDecoder.Frame f = d.next(); f != null; f = d.next()) {
      for (long i = 0; i < f.lostBefore(); i++) {
        dump.lost();
        frames.add("LOST");
      }
      if (f.grid() == null) {
        dump.lost();
        frames.add("LOST");
        continue;
      }
      dump.frame(f.grid());
      List<String> slices = new ArrayList<>();
      for (SliceReport s : f.slices()) slices.add(s.outcome().name());
      frames.add(String.join(",", slices));
    }
    FrameIndex index = d.index();
    if (index == null) {
      dump.noIndex();
    } else {
      long[] numbers = index.frameNumbers(), offsets = index.offsets();
      boolean[] usable = new boolean[numbers.length];
      for (int i = 0; i < numbers.length; i++) usable[i] = usable(stream, numbers[i], offsets[i]);
      dump.index(numbers, usable);
    }
    DecoderResult r =
        decoded(h, List.of(String.join(";", frames).split(",")), d.endCodeValid(), dump.sha256());
    return new Video(r, dump);
  }

  /**
   * Spec §10.6: whether {@code offset} points at a frame_sync whose frame header passes its checks
   * and has frame_number {@code number} and frame_type 0. The frame header is read where the offset
   * points, as the first frame after the stream's header.
   */
  private static boolean usable(byte[] stream, long number, long offset) throws IOException {
    long headerSize = ContainerReader.open(stream).headerSize();
    if (offset < headerSize || offset >= stream.length) return false;
    byte[] b = new byte[(int) (headerSize + stream.length - offset)];
    System.arraycopy(stream, 0, b, 0, (int) headerSize);
    System.arraycopy(stream, (int) offset, b, (int) headerSize, (int) (stream.length - offset));
    VideoReader.Frame f = VideoReader.open(new ByteArrayInputStream(b)).next();
    return f != null
        && f.offset() == headerSize
        && f.number() == number
        && f.type() == FrameType.KEY;
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
