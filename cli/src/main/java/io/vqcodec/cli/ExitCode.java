package io.vqcodec.cli;

/** The CLI's exit codes; documented in {@code vqcodec --help} and the README. */
final class ExitCode {
  /** Every input was processed. */
  static final int OK = 0;

  /** An input could not be processed: missing, unreadable, unsupported, corrupt or truncated. */
  static final int BAD_INPUT = 1;

  /** The command line is wrong (unknown option, missing argument). */
  static final int USAGE = 2;

  /** An output exists and {@code --force} was not given, or it could not be written. */
  static final int OUTPUT = 3;

  /** The stream needs a model this build does not have. */
  static final int UNKNOWN_MODEL = 4;

  /** A bug: please report it with the {@code --verbose} output. */
  static final int INTERNAL = 70;

  static final String HELP =
      "Exit codes:%n"
          + "  0   every input was processed%n"
          + "  1   an input is missing, unreadable, unsupported, corrupt or truncated%n"
          + "  2   wrong command line%n"
          + "  3   an output exists (use --force) or cannot be written%n"
          + "  4   the stream needs a model this build does not have%n"
          + "  70  internal error (rerun with --verbose and report it)%n";

  private ExitCode() {}
}
