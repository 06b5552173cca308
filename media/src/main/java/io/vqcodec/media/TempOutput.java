package io.vqcodec.media;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Outputs that appear whole or not at all: a sink writes into {@code .NAME.PID.RANDOM.tmp} beside
 * the target (a file, or a folder for PNG frames) and {@link #publish} renames it into place. A
 * failed or abandoned output is deleted; one left by a process that was killed outright is deleted
 * by the next process that writes into the folder (the PID in the name says whether its writer is
 * gone). Same naming as the CLI's single-file outputs, so either cleans up after the other.
 */
final class TempOutput {
  private TempOutput() {}

  private static final Pattern TEMP = Pattern.compile("\\..+\\.(\\d+)\\.\\d+\\.tmp");
  private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Temporary outputs of this process not yet published or discarded: deleted at exit. */
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(TempOutput::delete), "vqcodec-media-temp"));
  }

  /**
   * Checks {@code target} can be written and creates its temporary file or folder.
   *
   * @param folder the output is a folder (PNG frames), else a file
   * @throws IOException with a one-line message: the target exists (and {@code overwrite} is false,
   *     or it is of the other kind, or a folder that holds more than frames), or its folder is
   *     missing or not writable
   */
  static Path reserve(Path target, boolean overwrite, boolean folder) throws IOException {
    checkWritable(target, overwrite, folder);
    Path dir = target.toAbsolutePath().getParent();
    if (CLEANED.add(dir)) removeStale(dir);
    String prefix = "." + target.getFileName() + "." + ProcessHandle.current().pid() + ".";
    for (int attempt = 0; ; attempt++) {
      Path tmp = dir.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong() >>> 1) + ".tmp");
      try {
        if (folder) {
          Files.createDirectory(tmp);
        } else {
          Files.createFile(tmp);
          try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
          } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: keep its default permissions.
          }
        }
        LIVE.add(tmp);
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt > 10) throw e;
      } catch (IOException e) {
        throw new IOException(target + ": cannot write in " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  static void checkWritable(Path target, boolean overwrite, boolean folder) throws IOException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!overwrite) {
        throw new FileAlreadyExistsException(target.toString(), null, "exists (not overwritten)");
      }
      if (folder && !Files.isDirectory(target)) {
        throw new IOException(target + ": exists and is not a folder");
      }
      if (!folder && Files.isDirectory(target)) {
        throw new IOException(target + ": is a folder");
      }
      if (folder && !onlyFrames(target)) {
        throw new IOException(
            target + ": holds files other than frame-NNNNNN.png, so it is not replaced");
      }
    }
    Path parent = target.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new IOException(target + ": folder " + parent + " does not exist");
    }
    if (!Files.isWritable(parent)) {
      throw new IOException(target + ": folder " + parent + " is not writable");
    }
  }

  private static boolean onlyFrames(Path folder) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path f : files) {
        if (!PngFolderSink.FRAME_NAME.matcher(f.getFileName().toString()).matches()
            || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Renames {@code tmp} to {@code target}. Without {@code overwrite}, a target that appeared since
   * {@link #reserve} is not replaced (the link or move fails instead).
   */
  static void publish(Path tmp, Path target, boolean overwrite, boolean folder) throws IOException {
    try {
      if (folder) {
        publishFolder(tmp, target, overwrite);
      } else if (overwrite) {
        try {
          Files.move(
              tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        // rename(2) would replace a file that appeared meanwhile; link(2) fails instead.
        try {
          Files.createLink(target, tmp);
          Files.delete(tmp);
        } catch (UnsupportedOperationException e) {
          Files.move(tmp, target);
        }
      }
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(target.toString(), null, "exists (not overwritten)");
    }
    LIVE.remove(tmp);
  }

  private static void publishFolder(Path tmp, Path target, boolean overwrite) throws IOException {
    if (!overwrite || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(tmp, target);
      return;
    }
    // A folder cannot be renamed over a non-empty one: move the old one aside first, then delete
    // it. In between, the target is briefly missing, never half written.
    checkWritable(target, true, true);
    Path old =
        target.resolveSibling(
            tmp.getFileName() + ".old." + ProcessHandle.current().pid() + ".0.tmp");
    Files.move(target, old);
    LIVE.add(old);
    Files.move(tmp, target);
    delete(old);
    LIVE.remove(old);
  }

  /** Deletes a temporary output (file or folder); best effort, never throws. */
  static void discard(Path tmp) {
    delete(tmp);
    LIVE.remove(tmp);
  }

  private static void delete(Path p) {
    try {
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> all = Files.walk(p)) {
          all.sorted(Comparator.reverseOrder())
              .forEach(
                  f -> {
                    try {
                      Files.deleteIfExists(f);
                    } catch (IOException e) {
                      // best effort
                    }
                  });
        }
      } else {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: a leftover is removed by the next run that writes into this folder.
    }
  }

  /** Deletes temporary outputs in {@code dir} of processes that no longer exist. */
  static void removeStale(Path dir) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path f : files) {
        Matcher m = TEMP.matcher(f.getFileName().toString());
        if (!m.matches()) continue;
        long pid;
        try {
          pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
          continue;
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
        delete(f);
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: a folder we cannot list or clean is still one we may write into.
    }
  }
}
