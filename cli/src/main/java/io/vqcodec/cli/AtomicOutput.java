package io.vqcodec.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes an output file so that it appears whole or not at all: the bytes go to a temporary file
 * beside the target, which is renamed over the target only after it was written and closed. A
 * failure deletes the temporary file, so no half file is ever left behind. A run killed outright
 * (SIGKILL, power loss) cannot delete its temporary file; its name holds the process id ({@code
 * .NAME.PID.RANDOM.tmp}), and the next run that writes into the folder deletes those whose process
 * is gone.
 */
final class AtomicOutput {
  /** Writes the content of one output. */
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicOutput() {}

  /**
   * Refuses early, before any work, when {@code target} exists and {@code force} is false.
   *
   * @throws CliException with {@link ExitCode#OUTPUT}
   */
  static void checkWritable(Path target, boolean force) throws CliException {
    if (Files.isDirectory(target)) {
      throw new CliException(ExitCode.OUTPUT, target + ": is a directory");
    }
    if (!force && Files.exists(target)) {
      throw new CliException(ExitCode.OUTPUT, target + ": exists (use --force to overwrite)");
    }
    if (Files.isSymbolicLink(target) && !Files.exists(target)) {
      throw new CliException(ExitCode.OUTPUT, target + ": is a link to a missing file");
    }
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new CliException(ExitCode.OUTPUT, target + ": folder " + parent + " does not exist");
    }
    if (parent != null && !Files.isWritable(parent)) {
      throw new CliException(ExitCode.OUTPUT, target + ": folder " + parent + " is not writable");
    }
  }

  /** {@code .NAME.PID.RANDOM.tmp}, as {@link #write} names its temporary files. */
  private static final Pattern TEMP = Pattern.compile("\\..+\\.(\\d+)\\.\\d+\\.tmp");

  /** Folders whose stale temporary files this process has removed already. */
  private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();

  /** Deletes the temporary files in {@code dir} of runs whose process no longer exists. */
  static void removeStaleTemporaries(Path dir) {
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
        Files.deleteIfExists(f);
      }
    } catch (IOException | SecurityException e) {
      // Best effort: a folder we cannot list or clean is still one we may write into.
    }
  }

  static void write(Path target, boolean force, Body body) throws CliException, IOException {
    checkWritable(target, force);
    Path dir = target.toAbsolutePath().getParent();
    Path tmp;
    try {
      if (CLEANED.add(dir)) removeStaleTemporaries(dir); // once per folder and run, not per file
      tmp =
          Files.createTempFile(
              dir, "." + target.getFileName() + "." + ProcessHandle.current().pid() + ".", ".tmp");
    } catch (IOException e) {
      throw new CliException(
          ExitCode.OUTPUT, target + ": cannot write in " + dir + ": " + e.getMessage(), e);
    }
    try {
      // createTempFile makes the file private (0600); outputs get the usual 0644.
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: keep its default permissions.
    }
    boolean done = false;
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        body.writeTo(out);
      }
      if (force) {
        try {
          Files.move(
              tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        // rename(2) would replace a file that appeared since checkWritable; link(2) fails instead.
        try {
          Files.createLink(target, tmp);
          Files.delete(tmp);
        } catch (UnsupportedOperationException e) {
          Files.move(tmp, target);
        }
      }
      done = true;
    } catch (FileAlreadyExistsException e) {
      throw new CliException(ExitCode.OUTPUT, target + ": exists (use --force to overwrite)", e);
    } catch (IOException e) {
      throw new CliException(ExitCode.OUTPUT, target + ": cannot write: " + Images.message(e), e);
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
