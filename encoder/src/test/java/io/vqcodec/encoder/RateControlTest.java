package io.vqcodec.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rate control against made-up rate/distortion models: no network, no entropy coder. */
class RateControlTest {
  private static final int[] SIZES = {4096, 1024, 256, 64, 16};
  private static final int[] ALL_SHIFTS = {0, 1, 2};

  /** A function of one candidate (shift, K, fine cells). */
  interface Measure {
    double of(int shift, int k, int fineCells);
  }

  /**
   * A made-up encoder: sizes and errors from functions, cells 100 at full size, 25 at half, 9 at
   * quarter; records every stream coded.
   */
  static class FakeCandidates implements RateControl.Candidates {
    final Measure bytes;
    final Measure codedError;
    final List<String> coded = new ArrayList<>();

    FakeCandidates(Measure bytes, Measure codedError) {
      this.bytes = bytes;
      this.codedError = codedError;
    }

    /**
     * Sizes grow with K, the fine cells and the resolution; errors shrink with each. At any one
     * candidate a smaller picture is smaller but worse.
     */
    static FakeCandidates monotone() {
      return new FakeCandidates(
          (shift, k, n) -> (100 + 10 * log2(k) + 10 * n * log2(k)) >> (2 * shift),
          (shift, k, n) -> 1000.0 / log2(k) - n);
    }

    static int log2(int k) {
      return 31 - Integer.numberOfLeadingZeros(k);
    }

    @Override
    public int cells(int shift, int k) {
      return new int[] {100, 25, 9}[shift];
    }

    @Override
    public byte[] stream(int shift, int k, int fineCells) {
      coded.add(shift + "/" + k + "/" + fineCells);
      return new byte[(int) bytes.of(shift, k, fineCells)];
    }

    @Override
    public double codedResolutionError(int shift, int k, int fineCells) {
      return codedError.of(shift, k, fineCells);
    }

    int size(int shift, int k, int fineCells) {
      return (int) bytes.of(shift, k, fineCells);
    }
  }

  @Test
  void aTargetAboveTheLargestStreamGetsEveryCellFineAtFullSizeAndTheLargestCodebook() {
    FakeCandidates fake = FakeCandidates.monotone();
    RateControl.Choice c = RateControl.search(fake, ALL_SHIFTS, SIZES, 1_000_000);
    assertThat(c)
        .extracting("resolutionShift", "codebookSize", "steps", "cells", "targetMet")
        .containsExactly(0, 4096, 100, 100, true);
    assertThat(c.stream()).hasSize(fake.size(0, 4096, 100));
    // Nothing smaller can do better: no other level or resolution is coded.
    assertThat(fake.coded).containsExactly("0/4096/0", "0/4096/100");
  }

  /**
   * With residual stages the largest level has three steps per cell (fine, stage 2, stage 3): a
   * target above every cell fine buys stages, the most that fit, and only at that level.
   */
  @Test
  void residualStagesAreStepsBeyondEveryCellFine() {
    FakeCandidates fake =
        new FakeCandidates(
            (shift, k, n) ->
                (100 + 10 * FakeCandidates.log2(k) + 10 * n * FakeCandidates.log2(k))
                    >> (2 * shift),
            (shift, k, n) -> 1000.0 / FakeCandidates.log2(k) - n) {
          @Override
          public int steps(int shift, int k) {
            return k == 4096 ? 3 * cells(shift, k) : cells(shift, k);
          }
        };
    int target = fake.size(0, 4096, 150) + 5; // every cell fine and half of them a second stage
    RateControl.Choice c = RateControl.search(fake, ALL_SHIFTS, SIZES, target);
    assertThat(c)
        .extracting("resolutionShift", "codebookSize", "steps", "cells", "targetMet")
        .containsExactly(0, 4096, 150, 100, true);
    RateControl.Choice top = RateControl.search(fake, ALL_SHIFTS, SIZES, 1_000_000);
    assertThat(top.steps()).isEqualTo(300);
  }

  @Test
  void aTargetBelowTheSmallestStreamGetsTheSmallestAndSaysSo() {
    FakeCandidates fake = FakeCandidates.monotone();
    int smallest = fake.size(2, 16, 0);
    RateControl.Choice c = RateControl.search(fake, ALL_SHIFTS, SIZES, smallest - 1);
    assertThat(c)
        .extracting("resolutionShift", "codebookSize", "steps", "cells", "targetMet")
        .containsExactly(2, 16, 0, 9, false);
    assertThat(c.stream()).hasSize(smallest);
  }

  @Test
  void theSmallestStreamThatExactlyFitsMeetsTheTarget() {
    FakeCandidates fake = FakeCandidates.monotone();
    RateControl.Choice c = RateControl.search(fake, ALL_SHIFTS, SIZES, fake.size(2, 16, 0));
    assertThat(c)
        .extracting("resolutionShift", "codebookSize", "steps", "targetMet")
        .containsExactly(2, 16, 0, true);
  }

  @Test
  void ofEqualSmallestStreamsTheFirstTriedIsKept() {
    // Every all-coarse stream has the same size: full size at the largest codebook is tried first.
    FakeCandidates fake = new FakeCandidates((shift, k, n) -> 50 + n, (shift, k, n) -> 0);
    RateControl.Choice c = RateControl.search(fake, ALL_SHIFTS, SIZES, 49);
    assertThat(c)
        .extracting("resolutionShift", "codebookSize", "targetMet")
        .containsExactly(0, 4096, false);
  }

  /**
   * The target is in bytes, inclusive: a stream of exactly the target fits, one byte more does not.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 37, 50, 98, 99})
  void theTargetInBytesIsMetExactlyWhenAStreamHasThatSize(int fineCells) {
    FakeCandidates fake = FakeCandidates.monotone();
    int[] one = {4096};
    long target = fake.size(0, 4096, fineCells);
    RateControl.Choice exact = RateControl.search(fake, new int[] {0}, one, target);
    assertThat(exact.steps()).isEqualTo(fineCells);
    assertThat(exact.stream()).hasSize((int) target);
    RateControl.Choice under = RateControl.search(fake, new int[] {0}, one, target - 1);
    assertThat(under.steps()).isEqualTo(fineCells - 1 < 0 ? 0 : fineCells - 1);
    assertThat(under.targetMet()).isEqualTo(fineCells > 0);
  }

  /** Whatever the shape of size against fine cells, the search finds the most cells that fit. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void findsTheMostFineCellsThatFitOnAnyMonotoneSizeCurve(int seed) {
    Random random = new Random(seed);
    int n = 100;
    long[] size = new long[n + 1];
    size[0] = 20 + random.nextInt(100);
    for (int i = 1; i <= n; i++) {
      // Cells of very different cost, with runs of equal sizes (cells that cost less than a byte).
      size[i] = size[i - 1] + (random.nextInt(4) == 0 ? 0 : random.nextInt(1 + seed * 20));
    }
    FakeCandidates fake = new FakeCandidates((shift, k, c) -> size[c], (shift, k, c) -> -c);
    for (long target = size[0]; target <= size[n]; target += 1 + random.nextInt(7)) {
      fake.coded.clear();
      RateControl.Choice c = RateControl.search(fake, new int[] {0}, new int[] {4096}, target);
      int most = 0;
      while (most < n && size[most + 1] <= target) most++;
      assertThat(c.steps()).as("target %d", target).isEqualTo(most);
      assertThat((long) c.stream().length).isEqualTo(size[most]).isLessThanOrEqualTo(target);
      // A few interpolation steps, then bisection: never a scan.
      assertThat(fake.coded).hasSizeLessThanOrEqualTo(2 + 4 + 7);
    }
  }

  @Test
  void onALinearSizeCurveInterpolationLandsAtOnce() {
    FakeCandidates fake = new FakeCandidates((shift, k, c) -> 1000 + 7 * c, (shift, k, c) -> -c);
    RateControl.Choice c =
        RateControl.search(fake, new int[] {0}, new int[] {4096}, 1000 + 7 * 61 + 3);
    assertThat(c.steps()).isEqualTo(61);
    // None, all, the interpolated count, and the next count up to prove it is the most.
    assertThat(fake.coded).containsExactly("0/4096/0", "0/4096/100", "0/4096/61", "0/4096/62");
  }

  @Test
  void aLevelWhoseCoarsestStreamDoesNotFitIsSkippedForASmallerCodebook() {
    FakeCandidates fake = FakeCandidates.monotone();
    long target = fake.size(0, 1024, 0) + 5; // below K = 4096 all coarse
    assertThat(target).isLessThan(fake.size(0, 4096, 0));
    RateControl.Choice c = RateControl.search(fake, new int[] {0}, SIZES, target);
    assertThat(c.codebookSize()).isNotEqualTo(4096);
    assertThat(c.targetMet()).isTrue();
    assertThat(c.stream().length).isLessThanOrEqualTo((int) target);
    assertThat(fake.coded).contains("0/4096/0").doesNotContain("0/4096/100");
  }

  @Test
  void smallerCodebooksCompareByTheirCodedResolutionErrorAndTheLargerWinsTies() {
    // The largest codebook's coarsest stream is too big; every smaller level fits 10 fine cells and
    // the error says which is best.
    Measure bytes = (shift, k, n) -> k == 4096 ? 1000 : 100 + 10 * n;
    long target = 200;
    FakeCandidates prefers256 = new FakeCandidates(bytes, (shift, k, n) -> k == 256 ? 1 : 2);
    assertThat(RateControl.search(prefers256, new int[] {0}, SIZES, target).codebookSize())
        .isEqualTo(256);
    FakeCandidates tied = new FakeCandidates(bytes, (shift, k, n) -> 5);
    RateControl.Choice c = RateControl.search(tied, new int[] {0}, SIZES, target);
    assertThat(c).extracting("codebookSize", "steps").containsExactly(1024, 10);
  }

  @Test
  void theLargestCodebookIsKeptWheneverItsCoarsestStreamFitsWhateverTheErrors() {
    // Smaller codebooks would claim a smaller error: the rate model does not ask them.
    Measure bytes = (shift, k, n) -> 100 + 10 * n;
    FakeCandidates fake = new FakeCandidates(bytes, (shift, k, n) -> k == 4096 ? 9 : 1);
    RateControl.Choice c = RateControl.search(fake, ALL_SHIFTS, SIZES, 200);
    assertThat(c)
        .extracting("resolutionShift", "codebookSize", "steps")
        .containsExactly(0, 4096, 10);
    assertThat(fake.coded).allMatch(s -> s.startsWith("0/4096/"));
  }

  @Test
  void theLargestPictureWhoseCoarsestStreamFitsWinsAndSmallerOnesAreNotCoded() {
    FakeCandidates fake = FakeCandidates.monotone();
    // One byte too small for full size all coarse: half size with the fine cells that fit
    // (5 of 25: 205 bytes, 6 would take 235).
    long target = fake.size(0, 4096, 0) - 1;
    RateControl.Choice c = RateControl.search(fake, ALL_SHIFTS, SIZES, target);
    assertThat(c)
        .extracting("resolutionShift", "codebookSize", "steps", "cells", "targetMet")
        .containsExactly(1, 4096, 5, 25, true);
    assertThat(fake.coded).contains("0/4096/0").noneMatch(s -> s.startsWith("2/"));
    assertThat(fake.coded).noneMatch(s -> s.startsWith("0/") && !s.equals("0/4096/0"));
  }

  @Test
  void onlyTheSmallestPictureTriesSmallerCodebooks() {
    FakeCandidates fake =
        new FakeCandidates(
            (shift, k, n) -> (100 * FakeCandidates.log2(k) + 10 * n) >> (2 * shift),
            (shift, k, n) -> 1000.0 / FakeCandidates.log2(k) - n);
    // Below every resolution's coarsest stream at K = 4096 (75 bytes at quarter size), above
    // quarter size at K = 1024 with every cell fine (68 bytes).
    long target = 70;
    RateControl.Choice c = RateControl.search(fake, ALL_SHIFTS, SIZES, target);
    assertThat(c)
        .extracting("resolutionShift", "codebookSize", "steps", "targetMet")
        .containsExactly(2, 1024, 9, true);
    assertThat(c.stream().length).isLessThanOrEqualTo((int) target);
    assertThat(fake.coded)
        .filteredOn(s -> !s.startsWith("2/"))
        .containsExactly("0/4096/0", "1/4096/0");
  }

  @Test
  void aFixedResolutionStaysFixed() {
    FakeCandidates fake = FakeCandidates.monotone();
    RateControl.Choice c = RateControl.search(fake, new int[] {1}, SIZES, fake.size(1, 4096, 12));
    assertThat(c)
        .extracting("resolutionShift", "codebookSize", "steps", "cells", "targetMet")
        .containsExactly(1, 4096, 12, 25, true);
    assertThat(fake.coded).allMatch(s -> s.startsWith("1/"));
  }

  @Test
  void theChoiceKeepsTheStreamItMeasured() {
    FakeCandidates fake = FakeCandidates.monotone();
    long target = fake.size(0, 4096, 40) + 3;
    RateControl.Choice c = RateControl.search(fake, ALL_SHIFTS, SIZES, target);
    assertThat(c.stream()).hasSize(fake.size(c.resolutionShift(), c.codebookSize(), c.steps()));
    // No candidate is coded twice.
    assertThat(fake.coded).doesNotHaveDuplicates();
  }
}
