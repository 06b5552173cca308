package io.vqcodec.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PNG folders, and outputs that appear whole or not at all. */
class OutputsTest {
  @TempDir Path dir;

  private static void write(Path out, List<BufferedImage> frames, boolean overwrite)
      throws IOException {
    BufferedImage f0 = frames.get(0);
    try (FrameSink sink = FrameSink.create(out, f0.getWidth(), f0.getHeight(), 25, 1, overwrite)) {
      for (BufferedImage f : frames) sink.write(f);
    }
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void pngFolderHoldsNumberedLosslessFrames() throws IOException {
    List<BufferedImage> frames = Frames.clip(33, 17, 3, 11);
    Path out = dir.resolve("frames");
    write(out, frames, false);
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("frame-000001.png", "frame-000002.png", "frame-000003.png");
    }
    assertThat(names()).containsExactly("frames"); // no temporary folder left
    try (FrameSource in = FrameSource.open(out)) {
      assertThat(in.width()).isEqualTo(33);
      assertThat(in.height()).isEqualTo(17);
      assertThat(in.frameCount()).isEqualTo(3);
      assertThat(in.rateNum()).isEqualTo(25);
      for (BufferedImage f : frames) assertThat(Frames.maxDiff(in.next().image(), f)).isZero();
      assertThat(in.next()).isNull();
    }
    // The same frames through FFmpeg's image sequence pattern.
    try (FrameSource in = FrameSource.open(out.resolve("frame-%06d.png"))) {
      assertThat(in.width()).isEqualTo(33);
      assertThat(in.rateNum()).isEqualTo(25);
      int n = 0;
      for (VideoFrame f; (f = in.next()) != null; n++) {
        assertThat(Frames.maxDiff(f.image(), frames.get(n))).isZero();
      }
      assertThat(n).isEqualTo(3);
    }
  }

  @Test
  void pngFolderIsReadInNaturalOrder() {
    assertThat(
            Stream.of("f10.png", "f2.png", "f1.png", "f002.png").sorted(PngFolderSource::natural))
        .containsExactly("f1.png", "f002.png", "f2.png", "f10.png");
  }

  @ParameterizedTest
  @ValueSource(strings = {"out.y4m", "out.mkv", "out.mp4", "frames"})
  void existingOutputIsNotOverwrittenUnlessAsked(String name) throws IOException {
    Path out = dir.resolve(name);
    write(out, Frames.clip(8, 8, 1, 1), false);
    long size = size(out);
    assertThatThrownBy(() -> FrameSink.create(out, 8, 8, 25, 1))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessage(out + ": exists (not overwritten)");
    write(out, Frames.clip(8, 8, 3, 1), true);
    assertThat(size(out)).isGreaterThan(size);
    assertThat(names()).containsExactly(name);
  }

  /** A file that appears while the sink writes is not replaced when it closes. */
  @Test
  void outputThatAppearsMeanwhileIsKept() throws IOException {
    Path out = dir.resolve("race.y4m");
    FrameSink sink = FrameSink.create(out, 8, 8, 25, 1);
    sink.write(Frames.synthetic(8, 8, 0, 1));
    Files.writeString(out, "someone else's");
    assertThatThrownBy(sink::close).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(out)).isEqualTo("someone else's");
    assertThat(names()).containsExactly("race.y4m");
  }

  @Test
  void folderWithOtherFilesIsNeverReplaced() throws IOException {
    Path out = dir.resolve("mine");
    Files.createDirectory(out);
    Files.writeString(out.resolve("notes.txt"), "keep me");
    assertThatThrownBy(() -> FrameSink.create(out, 8, 8, 25, 1, true))
        .hasMessageContaining("holds files other than frame-NNNNNN.png");
    assertThat(out.resolve("notes.txt")).exists();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.y4m", "a.mkv", "a.webm", "frames"})
  void abortedSinkLeavesNothing(String name) throws IOException {
    Path out = dir.resolve(name);
    FrameSink sink = FrameSink.create(out, 16, 16, 25, 1);
    sink.write(Frames.synthetic(16, 16, 0, 1));
    assertThat(names())
        .hasSize(1)
        .allMatch(n -> n.startsWith("." + name + ".") && n.endsWith(".tmp"));
    sink.abort();
    sink.close(); // after abort: nothing to publish, no error
    assertThat(names()).isEmpty();
    assertThatThrownBy(() -> sink.write(Frames.synthetic(16, 16, 0, 1)))
        .isInstanceOf(IllegalStateException.class);
  }

  /** A failing write aborts the sink, so try-with-resources does not publish half a clip. */
  @Test
  void failedWriteLeavesNothing() throws IOException {
    Path out = dir.resolve("bad.mkv");
    assertThatThrownBy(
            () -> {
              try (FrameSink sink = FrameSink.create(out, 16, 16, 25, 1)) {
                sink.write(Frames.synthetic(16, 16, 0, 1));
                sink.write(Frames.synthetic(17, 16, 1, 1));
              }
            })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("frame 1 is 17x16, the sink was created for 16x16");
    assertThat(names()).isEmpty();
  }

  @Test
  void staleTemporaryOfADeadProcessIsRemoved() throws IOException {
    // PID 2^22 + 1 is above Linux's pid_max default of 2^22: no such process.
    Path stale = dir.resolve(".old.y4m.4194305.123.tmp");
    Files.writeString(stale, "left by a killed run");
    Path live = dir.resolve(".old.y4m." + ProcessHandle.current().pid() + ".456.tmp");
    Files.writeString(live, "ours, still being written");
    TempOutput.removeStale(dir);
    assertThat(stale).doesNotExist();
    assertThat(live).exists();
  }

  @Test
  void badOutputsAreRefused() {
    assertThatThrownBy(() -> FrameSink.create(dir.resolve("x.gif"), 8, 8, 25, 1))
        .hasMessageContaining("unknown output type .gif");
    assertThatThrownBy(() -> FrameSink.create(dir.resolve("no/such/x.y4m"), 8, 8, 25, 1))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> FrameSink.create(dir.resolve("x.y4m"), 0, 8, 25, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FrameSink.create(dir.resolve("x.y4m"), 8, 8, 25, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long size(Path p) throws IOException {
    if (!Files.isDirectory(p)) return Files.size(p);
    try (Stream<Path> s = Files.list(p)) {
      return s.count();
    }
  }
}
