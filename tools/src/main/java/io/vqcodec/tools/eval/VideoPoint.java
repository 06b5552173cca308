package io.vqcodec.tools.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * One coding of one clip in {@code vqcodec eval --video}: a vqcodec quality step, or a baseline's
 * setting chosen for a target bitrate. Rates count the whole file (container included); PSNR and
 * MS-SSIM are the means of the frames' RGB values; times are whole-process wall seconds.
 */
record VideoPoint(
    String clip,
    String codec,
    double targetKbps,
    String status,
    double knob,
    int frames,
    int width,
    int height,
    double seconds,
    long bytes,
    double psnr,
    double msssim,
    double encodeS,
    double decodeS,
    int keyFrames,
    long keyBytes,
    long predictedBytes) {

  static final String HEADER =
      "clip,codec,target_kbps,status,knob,frames,width,height,seconds,bytes,kbps,bpp,psnr,msssim,"
          + "encode_s,decode_s,encode_fps,decode_fps,key_frames,key_bytes,predicted_bytes";

  /** Status of a vqcodec point (no target: the quality step is the knob). */
  static final String STEP = "step";

  double kbps() {
    return 8.0 * bytes / seconds / 1000;
  }

  double bpp() {
    return 8.0 * bytes / ((double) frames * width * height);
  }

  double encodeFps() {
    return frames / encodeS;
  }

  double decodeFps() {
    return frames / decodeS;
  }

  String csv() {
    return String.join(
        ",",
        Csv.quote(clip),
        Csv.quote(codec),
        Csv.format(targetKbps, 2),
        status,
        Csv.format(knob, 2),
        Integer.toString(frames),
        Integer.toString(width),
        Integer.toString(height),
        Csv.format(seconds, 4),
        Long.toString(bytes),
        Csv.format(kbps(), 2),
        Csv.format(bpp(), 5),
        Csv.format(psnr, 3),
        Csv.format(msssim, 5),
        Csv.format(encodeS, 2),
        Csv.format(decodeS, 2),
        Csv.format(encodeFps(), 2),
        Csv.format(decodeFps(), 2),
        keyFrames < 0 ? "" : Integer.toString(keyFrames),
        keyBytes < 0 ? "" : Long.toString(keyBytes),
        predictedBytes < 0 ? "" : Long.toString(predictedBytes));
  }

  static VideoPoint parse(String line) {
    List<String> f = Csv.split(line);
    if (f.size() != HEADER.split(",").length) {
      throw new IllegalArgumentException("points.csv: expected 21 fields: " + line);
    }
    return new VideoPoint(
        f.get(0),
        f.get(1),
        Csv.parseDouble(f.get(2)),
        f.get(3),
        Csv.parseDouble(f.get(4)),
        Integer.parseInt(f.get(5)),
        Integer.parseInt(f.get(6)),
        Integer.parseInt(f.get(7)),
        Double.parseDouble(f.get(8)),
        Long.parseLong(f.get(9)),
        Csv.parseDouble(f.get(12)),
        Csv.parseDouble(f.get(13)),
        Double.parseDouble(f.get(14)),
        Double.parseDouble(f.get(15)),
        f.get(18).isEmpty() ? -1 : Integer.parseInt(f.get(18)),
        f.get(19).isEmpty() ? -1 : Long.parseLong(f.get(19)),
        f.get(20).isEmpty() ? -1 : Long.parseLong(f.get(20)));
  }

  static List<VideoPoint> parseAll(List<String> lines) {
    List<VideoPoint> out = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) if (!l.isBlank()) out.add(parse(l));
    return out;
  }
}
