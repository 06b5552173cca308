package io.vqcodec.media;

import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/** Loading FFmpeg's natives once, and its error codes as words. */
final class Ffmpeg {
  private Ffmpeg() {}

  private static volatile String loadError;
  private static volatile boolean loaded;

  /**
   * Loads the natives (unpacked to ~/.javacpp/cache on first use) and silences FFmpeg's own log:
   * every failure reaches the caller as one IOException instead, and corrupt input would otherwise
   * print a line per damaged block.
   *
   * @throws IOException when the natives cannot be loaded on this platform
   */
  static void init() throws IOException {
    if (loaded) return;
    synchronized (Ffmpeg.class) {
      if (!loaded && loadError == null) {
        try {
          av_log_set_level(AV_LOG_QUIET);
          loaded = true;
        } catch (LinkageError e) {
          loadError = "FFmpeg natives could not be loaded: " + e;
        }
      }
    }
    if (!loaded) throw new IOException(loadError);
  }

  /** FFmpeg's text for an AVERROR code. */
  static String error(int code) {
    byte[] buf = new byte[256];
    if (av_strerror(code, buf, buf.length) < 0) return "error " + code;
    int n = 0;
    while (n < buf.length && buf[n] != 0) n++;
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }

  /**
   * Width and height of the first video stream as the container header states them, without
   * decoding anything; null when the header does not say or cannot be read.
   */
  static int[] headerSize(String url) {
    AVFormatContext oc = new AVFormatContext(null);
    if (avformat_open_input(oc, url, (AVInputFormat) null, (AVDictionary) null) < 0) return null;
    try {
      for (int i = 0; i < oc.nb_streams(); i++) {
        AVCodecParameters p = oc.streams(i).codecpar();
        if (p.codec_type() == AVMEDIA_TYPE_VIDEO && p.width() > 0 && p.height() > 0) {
          return new int[] {p.width(), p.height()};
        }
      }
      return null;
    } finally {
      avformat_close_input(oc);
    }
  }

  private static final Pattern CODE = Pattern.compile("error (-\\d+)");

  /** The reason of a JavaCV exception in one line: FFmpeg's text for its error code if any. */
  static String describe(Throwable e) {
    String m = String.valueOf(e.getMessage());
    Matcher c = CODE.matcher(m);
    if (c.find()) {
      try {
        return error(Integer.parseInt(c.group(1)));
      } catch (NumberFormatException | LinkageError ignored) {
        // fall through to the message
      }
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
