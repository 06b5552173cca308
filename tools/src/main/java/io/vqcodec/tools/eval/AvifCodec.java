package io.vqcodec.tools.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * AVIF through libavif's {@code avifenc}/{@code avifdec} (0.11 takes no {@code -q}): a fixed
 * quantizer {@code --min Q --max Q} (0..63, higher is smaller), speed {@code -s 6} (avifenc's
 * default), 8-bit 4:2:0 full range, ICC/Exif/XMP not copied, {@code -j threads} for both encoder
 * and decoder.
 */
final class AvifCodec extends CommandLineCodec {
  AvifCodec(int threads) {
    super("avifenc", "avifdec", threads);
  }

  @Override
  public String name() {
    return "avif";
  }

  @Override
  public Knob knob() {
    return new Knob(0, 63, true, false, false);
  }

  @Override
  List<String> encodeCommand(SourceImage source, double knob, Path coded) {
    String q = EvalCodec.formatKnob(knob);
    return List.of(
        "avifenc",
        "-j",
        Integer.toString(threads),
        "-s",
        "6",
        "-d",
        "8",
        "-y",
        "420",
        "-r",
        "full",
        "--min",
        q,
        "--max",
        q,
        "--ignore-icc",
        "--ignore-exif",
        "--ignore-xmp",
        source.png().toString(),
        coded.toString());
  }

  @Override
  List<String> decodeCommand(Path coded, Path decoded) {
    return List.of(
        "avifdec",
        "-j",
        Integer.toString(threads),
        "-d",
        "8",
        coded.toString(),
        decoded.toString());
  }

  @Override
  String codedExt() {
    return "avif";
  }

  @Override
  String decodedExt() {
    return "png";
  }

  @Override
  List<String> versionCommand() {
    return List.of("--version");
  }

  @Override
  String settings() {
    return "-s 6 -d 8 -y 420 -r full --min Q --max Q --ignore-icc --ignore-exif --ignore-xmp -j "
        + threads
        + " (default AV1 encoder: aom); avifdec -d 8 -j "
        + threads
        + "; "
        + threads
        + " thread(s)";
  }
}
