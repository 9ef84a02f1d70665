package dev.corpusforge.pipelines.run;

/**
 * A run that cannot go on for a reason outside the user's arguments — an output that cannot be
 * written, a full disk, a storage service refusing access — told in one line (exit code 1).
 */
public final class RunFailure extends RuntimeException {
  public RunFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * One line for a person: the deepest cause's class and message (the exceptions around it only
   * repeat it), e.g. {@code FileSystemException: /proc/x: No such file or directory}.
   */
  public static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof java.nio.file.NoSuchFileException e) {
      return "cannot create "
          + e.getFile()
          + " (no such file or folder, or a file system that refuses new files)";
    }
    if (root instanceof java.nio.file.AccessDeniedException e) {
      return "permission denied: " + e.getFile();
    }
    if (root instanceof java.nio.file.FileSystemException e && e.getReason() != null) {
      return e.getReason() + (e.getFile() == null ? "" : ": " + e.getFile());
    }
    String message = root.getMessage() == null ? "" : root.getMessage().strip();
    if (message.startsWith("Unable to load credentials")) {
      return "no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws)";
    }
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline).strip();
    }
    String name = root.getClass().getSimpleName();
    return message.isEmpty() ? name : name + ": " + message;
  }
}
