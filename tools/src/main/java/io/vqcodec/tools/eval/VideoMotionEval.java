package io.vqcodec.tools.eval;

import io.vqcodec.container.FrameType;
import io.vqcodec.decoder.VideoDecoder;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.VideoEncoder;
import io.vqcodec.media.FrameSource;
import io.vqcodec.media.VideoFrame;
import io.vqcodec.neural.Pixels;
import io.vqcodec.neural.Tokenizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What token-domain motion (Spec §10.9) buys: each clip's first frames coded by the same encoder
 * with motion search ranges 0 (none) and the default, same quality step and key-frame interval,
 * decoded, and compared with the source on RGB.
 *
 * <pre>
 * java -cp "tools/target/vqcodec-tools-*.jar:tools/target/lib/*" io.vqcodec.tools.eval.VideoMotionEval \
 *     --frames 30 --quality 7 --out results/video/motion.csv CLIP...
 * </pre>
 *
 * <p>CSV columns: clip, frames, quality, motion range, kbit/s, PSNR (mean of the frames' RGB PSNR),
 * PSNR of the pooled squared error, bytes of key and of other frames, frames coded as motion
 * frames, share of cells skipped and moved over the predicted frames, encode and decode seconds.
 */
public final class VideoMotionEval {
  private VideoMotionEval() {}

  public static void main(String[] args) throws IOException {
    int frames = 30, quality = 7, keyint = VideoEncoder.DEFAULT_KEYINT;
    int[] ranges = {0, VideoEncoder.DEFAULT_MOTION_RANGE};
    Path out = Paths.get("results/video/motion.csv");
    List<Path> clips = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--frames" -> frames = Integer.parseInt(args[++i]);
        case "--quality" -> quality = Integer.parseInt(args[++i]);
        case "--keyint" -> keyint = Integer.parseInt(args[++i]);
        case "--out" -> out = Paths.get(args[++i]);
        default -> clips.add(Paths.get(args[i]));
      }
    }
    StringBuilder csv =
        new StringBuilder(
            "clip,frames,quality,motion_range,kbps,psnr_rgb_mean,psnr_rgb_pooled,key_bytes,"
                + "predicted_bytes,motion_frames,skipped_pct,moved_pct,encode_s,decode_s\n");
    // The video encoder's own tokenizer (ModelRegistry.defaultVideoTokenizer: tok-v2f since
    // 2026-12-07; the committed results before that date were made with tok-v2), whose decoder
    // the encoder's pixel check of copies runs.
    try (Tokenizer tokenizer = Tokenizer.loadDefaultVideo()) {
      for (Path clip : clips) {
        List<BufferedImage> source = new ArrayList<>();
        int rateNum, rateDen, w, h;
        try (FrameSource s = FrameSource.open(clip)) {
          rateNum = s.rateNum();
          rateDen = s.rateDen();
          w = s.width();
          h = s.height();
          for (VideoFrame f; source.size() < frames && (f = s.next()) != null; ) {
            source.add(f.image());
          }
        }
        String name = clip.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        for (int range : ranges) {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          List<VideoEncoder.FrameReport> reports = new ArrayList<>();
          long t0 = System.nanoTime();
          try (VideoEncoder enc = VideoEncoder.using(tokenizer).motionRange(range);
              VideoEncoder.Session s =
                  enc.start(
                      bytes,
                      w,
                      h,
                      rateNum,
                      rateDen,
                      source.size(),
                      EncoderOptions.defaults().withQuality(quality),
                      keyint,
                      0)) {
            for (BufferedImage f : source) reports.add(s.add(f));
          }
          double encodeS = (System.nanoTime() - t0) / 1e9;
          t0 = System.nanoTime();
          double psnrSum = 0, seSum = 0;
          int n = 0;
          try (VideoDecoder d = VideoDecoder.open(new ByteArrayInputStream(bytes.toByteArray()))) {
            for (VideoDecoder.Frame f; (f = d.next()) != null; n++) {
              BufferedImage ref = source.get(n);
              psnrSum += Pixels.psnr(ref, f.image());
              seSum += Pixels.squaredError(ref, f.image());
            }
          }
          double decodeS = (System.nanoTime() - t0) / 1e9;
          long key = 0, predicted = 0, skipped = 0, moved = 0, cells = 0;
          int motionFrames = 0;
          for (VideoEncoder.FrameReport r : reports) {
            if (r.type() == FrameType.KEY) {
              key += r.bytes();
            } else {
              predicted += r.bytes();
              skipped += r.skippedCells();
              moved += r.motionCells();
              cells += r.cells();
            }
            if (r.type() == FrameType.MOTION) motionFrames++;
          }
          double seconds = n * (double) rateDen / rateNum;
          double kbps = 8.0 * bytes.size() / seconds / 1000;
          double mse = seSum / (3.0 * w * h * n);
          String row =
              String.format(
                  Locale.ROOT,
                  "%s,%d,%d,%d,%.2f,%.3f,%.3f,%d,%d,%d,%.1f,%.1f,%.1f,%.1f%n",
                  name,
                  n,
                  quality,
                  range,
                  kbps,
                  psnrSum / n,
                  10 * Math.log10(255.0 * 255.0 / mse),
                  key,
                  predicted,
                  motionFrames,
                  cells == 0 ? 0 : 100.0 * skipped / cells,
                  cells == 0 ? 0 : 100.0 * moved / cells,
                  encodeS,
                  decodeS);
          System.out.print(row);
          csv.append(row);
        }
      }
    }
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".motion", ".tmp");
    Files.writeString(tmp, csv);
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
