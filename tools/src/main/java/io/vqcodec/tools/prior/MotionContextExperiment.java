package io.vqcodec.tools.prior;

import io.vqcodec.container.FrameType;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.MotionField;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.VideoTokenDecoder;
import io.vqcodec.tools.eval.VideoSkipTuning;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Design experiment (issue 16, moving cameras): would a coded cell of a motion frame (Spec §10.9)
 * find its tokens in the reference more often at the position its motion-vector predictor (§10.9.2,
 * known to the decoder without any new symbol) points to than at its own position? Today a coded
 * cell's same flags and temporal expert (§10.4, §8.3.3.4) use the co-located reference token.
 * Clips: the synthetic hand-held-camera clips of the validation photos ({@link
 * VideoSkipTuning#clip}, "shake"); never the evaluation clips. Counts, over the tokens of coded
 * cells whose predictor is not (0, 0): tokens equal to the co-located reference token, and equal to
 * the token at the predicted position.
 *
 * <pre>
 * tools/run.sh io.vqcodec.tools.prior.MotionContextExperiment ../shared/data/val 2 7
 * </pre>
 */
public final class MotionContextExperiment {
  private MotionContextExperiment() {}

  public static void main(String[] args) throws Exception {
    Path val = Path.of(args[0]);
    int every = Integer.parseInt(args[1]), quality = Integer.parseInt(args[2]);
    List<Path> images;
    try (Stream<Path> s = Files.walk(val)) {
      images = s.filter(Files::isRegularFile).sorted().toList();
    }
    long coded = 0, predicted = 0, tokens = 0, sameHere = 0, sameThere = 0, either = 0;
    long motionFrames = 0;
    try (Tokenizer tokenizer = Tokenizer.loadDefaultVideo()) {
      for (int i = 0; i < images.size(); i += every) {
        BufferedImage photo = ImageIO.read(images.get(i).toFile());
        if (photo == null) continue;
        List<BufferedImage> clip = VideoSkipTuning.clip(photo, "shake", 20, i);
        if (clip == null) continue;
        VideoTokenDecoder d =
            VideoTokenDecoder.open(
                new ByteArrayInputStream(TemporalContextExperiment.code(tokenizer, clip, quality)),
                ModelRegistry.builtIn(),
                1L << 26);
        TokenGrid ref = null;
        for (VideoTokenDecoder.Frame f; (f = d.next()) != null; ref = f.grid()) {
          if (f.type() != FrameType.MOTION || ref == null) continue;
          motionFrames++;
          TokenGrid g = f.grid();
          MotionField m = f.motion();
          int cw = g.cellsWide(), ch = g.cellsHigh();
          int[] rows = SliceCoder.sliceRowCounts(ch, EncoderOptions.DEFAULT_SLICE_ROWS);
          for (int cy = 0, slice = 0, first = 0; cy < ch; cy++) {
            if (cy == first + rows[slice]) first += rows[slice++];
            for (int cx = 0; cx < cw; cx++) {
              if (m.isSkip(cx, cy) || m.isMotion(cx, cy)) continue;
              coded++;
              int[] p = m.predictor(cx, cy, first);
              if (p[0] == 0 && p[1] == 0) continue;
              if (!MotionField.sourceInside(cw, ch, cx, cy, p[0], p[1])) continue;
              predicted++;
              boolean fine = g.isFine(cx, cy);
              for (int q = 0; q < (fine ? 4 : 1); q++) {
                int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1);
                int t = fine ? g.fineToken(fx, fy) : g.coarseToken(cx, cy);
                int here = MotionField.refToken(ref, fx, fy);
                int there = MotionField.refToken(ref, fx + p[0], fy + p[1]);
                tokens++;
                if (t == here) sameHere++;
                if (t == there) sameThere++;
                if (t == here || t == there) either++;
              }
            }
          }
        }
        System.err.printf(
            Locale.ROOT,
            "%s: %d motion frames, coded cells %d, with a predictor %d, tokens %d, equal here %d,"
                + " there %d%n",
            images.get(i).getFileName(),
            motionFrames,
            coded,
            predicted,
            tokens,
            sameHere,
            sameThere);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "motion frames %d; coded cells %d, %d with a predictor not (0, 0) inside the picture;"
            + " their %d tokens: equal to the co-located reference token %d (%.1f%%), to the token"
            + " at the predicted position %d (%.1f%%), to either %d (%.1f%%)%n",
        motionFrames,
        coded,
        predicted,
        tokens,
        sameHere,
        100.0 * sameHere / Math.max(1, tokens),
        sameThere,
        100.0 * sameThere / Math.max(1, tokens),
        either,
        100.0 * either / Math.max(1, tokens));
  }
}
