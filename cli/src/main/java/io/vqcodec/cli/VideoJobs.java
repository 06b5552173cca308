package io.vqcodec.cli;

import io.vqcodec.container.FrameType;
import io.vqcodec.container.Limits;
import io.vqcodec.decoder.VideoDecoder;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.VideoEncoder;
import io.vqcodec.media.FrameSink;
import io.vqcodec.media.FrameSource;
import io.vqcodec.media.VideoFrame;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.VideoTokenDecoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The video side of {@code encode}, {@code decode} and {@code info} (Spec §10): frames in through
 * FFmpeg or Y4M ({@link FrameSource}), frames out to Y4M, a container FFmpeg writes, or a folder of
 * PNGs ({@link FrameSink}).
 */
final class VideoJobs {
  /** Inputs taken as video by their extension. */
  static final List<String> VIDEO_EXTENSIONS =
      List.of("mp4", "mkv", "avi", "webm", "mov", "m4v", "y4m", "ts", "mpg", "mpeg", "ogv");

  private VideoJobs() {}

  static boolean isVideoInput(Path p) {
    return Batch.hasExtension(p, VIDEO_EXTENSIONS);
  }

  /** Whether {@code p} is a .vqc video (profile 1 at byte 14, Spec §2.2, §10.2). */
  static boolean isVideoStream(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      byte[] b = in.readNBytes(15);
      return b.length == 15 && b[14] == 1;
    } catch (IOException e) {
      return false;
    }
  }

  static void encode(
      Path input,
      Path output,
      EncoderOptions options,
      int keyint,
      int motionRange,
      double kbps,
      long maxFrames,
      long maxPixels,
      boolean force,
      boolean verbose,
      PrintWriter out,
      PrintWriter err)
      throws CliException, IOException {
    AtomicOutput.checkWritable(output, force);
    FrameSource opened;
    try {
      opened = FrameSource.open(input, maxPixels);
    } catch (IOException e) {
      throw new CliException(ExitCode.BAD_INPUT, Images.message(e), e);
    }
    try (FrameSource source = opened) {
      if (source.hasAudio()) {
        err.println("vqcodec: note: " + input + " has audio, which is not carried");
      }
      int[] rate = rate(source.rateNum(), source.rateDen());
      long[] count = {0};
      long[] bytes = {0};
      long[] keys = {0};
      long start = System.nanoTime();
      boolean progress = System.console() != null && !verbose;
      try (VideoEncoder encoder = VideoEncoder.open()) {
        encoder.motionRange(motionRange);
        AtomicOutput.write(
            output,
            force,
            os -> {
              OutputStream buffered = new BufferedOutputStream(os, 1 << 16);
              VideoEncoder.Session s =
                  encoder.start(
                      buffered,
                      source.width(),
                      source.height(),
                      rate[0],
                      rate[1],
                      0,
                      options,
                      keyint,
                      kbps);
              for (VideoFrame f; count[0] < maxFrames && (f = next(source)) != null; ) {
                VideoEncoder.FrameReport r = s.add(f.image());
                count[0]++;
                bytes[0] += r.bytes();
                if (r.type() == FrameType.KEY) keys[0]++;
                if (verbose) {
                  err.printf(
                      Locale.ROOT,
                      "frame %d: %s, %d bytes, %d of %d cells skipped, %d moved%n",
                      r.number(),
                      r.type().name().toLowerCase(Locale.ROOT),
                      r.bytes(),
                      r.skippedCells(),
                      r.cells(),
                      r.motionCells());
                } else if (progress) {
                  double secs = (System.nanoTime() - start) / 1e9;
                  err.printf(Locale.ROOT, "\rframe %d, %.2f fps   ", count[0], count[0] / secs);
                  err.flush();
                }
              }
              s.finish();
              buffered.flush();
            });
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.BAD_INPUT, input + ": " + e.getMessage(), e);
      } catch (InputFailure e) {
        throw new CliException(ExitCode.BAD_INPUT, Images.message(e.getCause()), e.getCause());
      }
      if (progress) err.println();
      long size = Files.size(output);
      double secs = count[0] * (double) rate[1] / rate[0];
      double achieved = secs > 0 ? 8.0 * size / secs / 1000 : 0;
      if (kbps > 0 && Math.abs(achieved / kbps - 1) > 0.2) {
        err.printf(
            Locale.ROOT,
            "vqcodec: warning: %s: %.1f kbit/s for a target of %.1f: the --quality step fixes the"
                + " resolution and codebook, and this target lies %s what they can reach; try a %s"
                + " --quality%n",
            input,
            achieved,
            kbps,
            achieved > kbps ? "below" : "above",
            achieved > kbps ? "lower" : "higher");
      }
      out.printf(
          Locale.ROOT,
          "%s -> %s: %dx%d, %d frames (%d key) at %d/%d fps, %d bytes, %.1f kbit/s%n",
          input,
          output,
          source.width(),
          source.height(),
          count[0],
          keys[0],
          rate[0],
          rate[1],
          size,
          secs > 0 ? 8.0 * size / secs / 1000 : 0);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCode.BAD_INPUT, input + ": no such file", e);
    }
  }

  /** A failure to read the input while the output is being written: the input's fault. */
  private static final class InputFailure extends RuntimeException {
    InputFailure(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }

  private static VideoFrame next(FrameSource source) {
    try {
      return source.next();
    } catch (IOException e) {
      throw new InputFailure(e);
    }
  }

  /** A frame rate both of whose terms fit Spec §A.6, as close to {@code num/den} as they allow. */
  static int[] rate(long num, long den) {
    if (num < 1 || den < 1) return new int[] {25, 1};
    while (num > Limits.MAX_FRAME_RATE_TERM || den > Limits.MAX_FRAME_RATE_TERM) {
      num = (num + 1) / 2;
      den = Math.max(1, (den + 1) / 2);
    }
    return new int[] {(int) num, (int) den};
  }

  /**
   * Decodes a video to {@code output}; from {@code fromMicros} on if it is not negative: the
   * decoder seeks to the key frame at or before that time (Spec §10.6) and the frames before the
   * one shown then are decoded but not written.
   */
  static void decode(
      Path input,
      Path output,
      long fromMicros,
      long maxPixels,
      boolean force,
      PrintWriter out,
      PrintWriter err)
      throws CliException {
    VideoDecoder opened;
    try {
      opened =
          fromMicros < 0
              ? VideoDecoder.open(new BufferedInputStream(Files.newInputStream(input)), maxPixels)
              : VideoDecoder.open(input, maxPixels, fromMicros);
    } catch (IOException e) {
      throw DecodeCommand.streamFailure(input, e);
    }
    try (VideoDecoder decoder = opened) {
      var p = decoder.header().picture();
      // The frame shown at fromMicros: floor(t * num / (10^6 * den)), as VideoDecoder.open seeks.
      long first =
          fromMicros <= 0
              ? 0
              : java.math.BigInteger.valueOf(fromMicros)
                  .multiply(java.math.BigInteger.valueOf(p.frameRateNum()))
                  .divide(java.math.BigInteger.valueOf(1_000_000L * p.frameRateDen()))
                  .min(java.math.BigInteger.valueOf(Long.MAX_VALUE))
                  .longValue();
      long frames = 0, lost = 0, seen = 0;
      FrameSink sink;
      try {
        sink =
            FrameSink.create(
                output, p.width(), p.height(), p.frameRateNum(), p.frameRateDen(), force);
      } catch (IOException e) {
        throw new CliException(ExitCode.OUTPUT, Images.message(e), e);
      }
      try {
        for (VideoDecoder.Frame f; (f = next(decoder, input)) != null; ) {
          seen = f.number() + 1;
          if (f.number() < first) continue;
          sink.write(f.image());
          frames++;
          if (f.type() == null || f.lostTokens() > 0) lost++;
        }
        if (frames == 0 && first > 0) {
          throw new CliException(
              ExitCode.USAGE,
              String.format(
                  Locale.ROOT,
                  "--from %.3f: %s ends before that (%d frames, %.3f s)",
                  fromMicros / 1e6,
                  input,
                  seen,
                  seen * (double) p.frameRateDen() / p.frameRateNum()));
        }
        sink.close();
      } catch (IOException e) {
        sink.abort();
        throw new CliException(ExitCode.OUTPUT, output + ": " + Images.message(e), e);
      } catch (CliException | RuntimeException e) {
        sink.abort();
        throw e;
      }
      if (lost > 0) {
        err.printf(
            Locale.ROOT,
            "vqcodec: warning: %s: %d of %d frames lost or damaged; concealed%n",
            input,
            lost,
            frames);
      }
    }
  }

  private static VideoDecoder.Frame next(VideoDecoder d, Path input) throws CliException {
    try {
      return d.next();
    } catch (IOException e) {
      throw DecodeCommand.streamFailure(input, e);
    }
  }

  /** {@code info} of a video: the header, then one line (or JSON object) per frame. */
  static void info(Path input, boolean json, PrintWriter out) throws CliException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(input))) {
      VideoTokenDecoder d = VideoTokenDecoder.open(in, ModelRegistry.builtIn(), Limits.MAX_PIXELS);
      var h = d.header();
      var p = h.picture();
      StringBuilder frames = new StringBuilder();
      StringBuilder keys = new StringBuilder();
      long n = 0, total = 0;
      for (VideoTokenDecoder.Frame f; (f = d.next()) != null; ) {
        for (long i = 0; i < f.lostBefore(); i++) {
          append(frames, json, n++, null, 0, 0, 0, 0, 0);
        }
        int cells = f.grid() == null ? 0 : f.grid().cellsWide() * f.grid().cellsHigh();
        if (f.type() == FrameType.KEY) keys.append(keys.length() == 0 ? "" : ", ").append(n);
        append(
            frames,
            json,
            n++,
            f.type(),
            f.headerBytes(),
            f.payloadBytes(),
            f.skippedCells(),
            f.motionCells(),
            cells);
        total += f.payloadBytes();
      }
      long size = Files.size(input);
      if (json) {
        out.printf(
            Locale.ROOT,
            "{%n  \"width\": %d,%n  \"height\": %d,%n  \"frames\": %d,%n  \"frame_count_in_header\": %d,%n"
                + "  \"frame_rate\": \"%d/%d\",%n  \"codebook_size\": %d,%n  \"model\": {\"id\": %d},%n"
                + "  \"bytes\": {\"total\": %d, \"slices\": %d},%n  \"key_frames\": [%s],%n  \"per_frame\": [%n%s%n  ]%n}%n",
            p.width(),
            p.height(),
            n,
            p.frameCount(),
            p.frameRateNum(),
            p.frameRateDen(),
            h.grid().codebookSize(),
            h.model().id(),
            size,
            total,
            keys,
            frames);
      } else {
        out.printf(
            Locale.ROOT,
            "video        %dx%d, %d frames at %d/%d fps (%.3f fps), K=%d, model id %d%n"
                + "bytes        %d total, %d in slices%nkey frames   %s%n%s",
            p.width(),
            p.height(),
            n,
            p.frameRateNum(),
            p.frameRateDen(),
            (double) p.frameRateNum() / p.frameRateDen(),
            h.grid().codebookSize(),
            h.model().id(),
            size,
            total,
            keys,
            frames);
      }
      out.flush();
    } catch (IOException e) {
      throw DecodeCommand.streamFailure(input, e);
    }
  }

  private static void append(
      StringBuilder b,
      boolean json,
      long n,
      FrameType type,
      int headerBytes,
      int payloadBytes,
      int skipped,
      int moved,
      int cells) {
    String t = type == null ? "lost" : type.name().toLowerCase(Locale.ROOT);
    // A frame's bytes are its header's and its payloads' (Spec §10.3): what it costs in the stream.
    int bytes = headerBytes + payloadBytes;
    if (json) {
      if (b.length() > 0) b.append(",\n");
      b.append(
          String.format(
              Locale.ROOT,
              "    {\"frame\": %d, \"type\": \"%s\", \"bytes\": %d, \"header_bytes\": %d,"
                  + " \"skipped_cells\": %d, \"motion_cells\": %d, \"coded_cells\": %d}",
              n,
              t,
              bytes,
              headerBytes,
              skipped,
              moved,
              cells - skipped - moved));
    } else {
      b.append(
          String.format(
              Locale.ROOT,
              "frame %-6d %-9s %6d bytes, %d cells skipped, %d moved, %d coded%n",
              n,
              t,
              bytes,
              skipped,
              moved,
              cells - skipped - moved));
    }
  }
}
