package io.vqcodec.tools.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The baselines of {@code vqcodec eval --video}, through FFmpeg in a low-delay configuration: no
 * B-frames (AV1: no look-ahead, so no hidden alt-ref frames; libaom in its realtime mode, whose
 * rate control works without look-ahead), one key frame at the start (key-frame interval far beyond
 * the clip, no scene-cut key frames), 4:2:0, FFmpeg's default thread count. The knob is the CRF
 * (higher: fewer bytes); x264 and x265 take fractional values, the AV1 encoders integers.
 */
enum VideoBaseline {
  X264("libx264", "mp4", 0, 51, false, "-preset medium -bf 0 -sc_threshold 0"),
  X265(
      "libx265",
      "mp4",
      0,
      51,
      false,
      "-preset medium -x265-params keyint={keyint}:min-keyint={keyint}:scenecut=0:bframes=0"),
  AOM(
      "libaom-av1",
      "mkv",
      0,
      63,
      true,
      "-usage realtime -cpu-used 6 -row-mt 1 -lag-in-frames 0 -b:v 0"),
  SVT("libsvtav1", "mkv", 1, 63, true, "-preset 8 -svtav1-params pred-struct=1:scd=0");

  /** Key-frame interval: far beyond any clip, so only the first frame is a key frame. */
  static final int KEYINT = 100000;

  final String codec, extension, settings;
  final double lo, hi;
  final boolean integer;

  VideoBaseline(
      String codec, String extension, double lo, double hi, boolean integer, String settings) {
    this.codec = codec;
    this.extension = extension;
    this.lo = lo;
    this.hi = hi;
    this.integer = integer;
    this.settings = settings.replace("{keyint}", Integer.toString(KEYINT));
  }

  static VideoBaseline named(String name) {
    for (VideoBaseline b : values()) if (b.codec.equals(name)) return b;
    return null;
  }

  String knob(double crf) {
    return integer
        ? Integer.toString((int) Math.round(crf))
        : String.format(Locale.ROOT, "%.2f", crf);
  }

  /** The whole command line, for the report and the cache's configuration. */
  String describe() {
    return "ffmpeg -c:v " + codec + " -crf C " + settings + commonTail();
  }

  private String commonTail() {
    return switch (this) {
      case X265 -> " -pix_fmt yuv420p";
      case SVT -> " -g " + KEYINT + " -pix_fmt yuv420p";
      default -> " -g " + KEYINT + " -keyint_min " + KEYINT + " -pix_fmt yuv420p";
    };
  }

  List<String> encode(Path reference, int frames, double crf, Path out) {
    List<String> c =
        new ArrayList<>(
            List.of(
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                reference.toString(),
                "-frames:v",
                Integer.toString(frames),
                "-an",
                "-fps_mode",
                "passthrough",
                "-c:v",
                codec,
                "-crf",
                knob(crf)));
    c.addAll(List.of((settings + commonTail()).trim().split(" ")));
    c.add(out.toString());
    return c;
  }

  static List<String> decode(Path file) {
    return List.of(
        "ffmpeg",
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-i",
        file.toString(),
        "-f",
        "null",
        "-");
  }
}
