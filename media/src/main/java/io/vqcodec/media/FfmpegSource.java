package io.vqcodec.media;

import static org.bytedeco.ffmpeg.global.avformat.av_guess_frame_rate;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Any input FFmpeg reads, through JavaCV's grabber in RAW mode: the grabber demuxes and decodes one
 * frame at a time, {@link AvFrameRgb} converts the decoded planes, so memory does not grow with the
 * clip. Audio packets are skipped undecoded.
 */
final class FfmpegSource implements FrameSource {
  private final Path input;
  private final FFmpegFrameGrabber grabber;
  private final AvFrameRgb converter = new AvFrameRgb();
  private final int width;
  private final int height;
  private final int rateNum;
  private final int rateDen;
  private final long frameCount;
  private final int tbNum;
  private final int tbDen;
  private final long maxPixels;
  private long index;
  private long firstPts = AV_NOPTS_VALUE;
  private long lastMicros;
  private boolean closed;

  private FfmpegSource(Path input, FFmpegFrameGrabber g, long maxPixels) throws IOException {
    this.input = input;
    this.grabber = g;
    this.maxPixels = maxPixels;
    AVFormatContext oc = g.getFormatContext();
    AVStream st = null;
    // The stream JavaCV decodes: the first video stream whose pixel format is known.
    for (int i = 0; i < oc.nb_streams(); i++) {
      AVStream s = oc.streams(i);
      if (s.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO && s.codecpar().format() != -1) {
        st = s;
        break;
      }
    }
    if (st == null || !g.hasVideo()) throw new IOException(input + ": has no video stream");
    width = st.codecpar().width();
    height = st.codecpar().height();
    checkSize(width, height, "is");
    AVRational r = av_guess_frame_rate(oc, st, null);
    if (r.num() > 0 && r.den() > 0) {
      rateNum = r.num();
      rateDen = r.den();
    } else {
      rateNum = 25;
      rateDen = 1;
    }
    frameCount = st.nb_frames() > 0 ? st.nb_frames() : -1;
    tbNum = st.time_base().num();
    tbDen = st.time_base().den();
  }

  static FfmpegSource open(Path input, String url, long maxPixels) throws IOException {
    Ffmpeg.init();
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(url);
    g.setImageMode(FrameGrabber.ImageMode.RAW);
    // The decoder refuses larger pictures itself, before allocating them.
    g.setVideoOption("max_pixels", Long.toString(Math.min(maxPixels, Integer.MAX_VALUE)));
    boolean ok = false;
    try {
      try {
        g.start();
      } catch (FrameGrabber.Exception | RuntimeException e) {
        int[] size = Ffmpeg.headerSize(url);
        if (size != null && (long) size[0] * size[1] > maxPixels) {
          // max_pixels made the decoder refuse: say so rather than "Invalid argument".
          throw new IOException(
              input
                  + ": video is "
                  + size[0]
                  + "x"
                  + size[1]
                  + ", over the limit of "
                  + maxPixels
                  + " pixels");
        }
        throw new IOException(input + ": not a video FFmpeg can read (" + Ffmpeg.describe(e) + ")");
      }
      FfmpegSource s = new FfmpegSource(input, g, maxPixels);
      ok = true;
      return s;
    } finally {
      if (!ok) release(g);
    }
  }

  private void checkSize(int w, int h, String verb) throws IOException {
    if (w <= 0 || h <= 0) throw new IOException(input + ": video has no size");
    if ((long) w * h > maxPixels) {
      throw new IOException(
          input
              + ": video "
              + verb
              + " "
              + w
              + "x"
              + h
              + ", over the limit of "
              + maxPixels
              + " pixels");
    }
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public int rateNum() {
    return rateNum;
  }

  @Override
  public int rateDen() {
    return rateDen;
  }

  @Override
  public long frameCount() {
    return frameCount;
  }

  @Override
  public boolean hasAudio() {
    return grabber.hasAudio();
  }

  @Override
  public VideoFrame next() throws IOException {
    if (closed) throw new IllegalStateException(input + ": source is closed");
    try {
      Frame f = grabber.grabImage();
      if (f == null || !(f.opaque instanceof AVFrame av)) return null;
      int w = av.width(), h = av.height();
      if (w != width || h != height) {
        checkSize(w, h, "changes to");
        throw new IOException(
            input
                + ": frame "
                + index
                + " is "
                + w
                + "x"
                + h
                + ", the video starts at "
                + width
                + "x"
                + height
                + " (size changes are not supported)");
      }
      BufferedImage img = Rgb.newImage(w, h);
      converter.convert(av, Rgb.pixels(img));
      return new VideoFrame(index++, micros(av.best_effort_timestamp()), img);
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new IOException(
          input + ": cannot decode frame " + index + " (" + Ffmpeg.describe(e) + ")", e);
    }
  }

  /**
   * Microseconds after the first frame; a frame without a timestamp follows the last at the rate.
   */
  private long micros(long pts) {
    long us;
    if (pts == AV_NOPTS_VALUE || tbDen <= 0) {
      us = index == 0 ? 0 : lastMicros + av_rescale(1_000_000L, rateDen, rateNum);
    } else {
      if (firstPts == AV_NOPTS_VALUE) firstPts = pts;
      us = av_rescale(pts - firstPts, 1_000_000L * tbNum, tbDen);
    }
    lastMicros = us;
    return us;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    converter.close();
    release(grabber);
  }

  private static void release(FFmpegFrameGrabber g) {
    try {
      g.close();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      // Nothing left to do with a grabber that cannot close.
    }
  }
}
