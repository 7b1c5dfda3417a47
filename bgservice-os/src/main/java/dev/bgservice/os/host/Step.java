package dev.bgservice.os.host;

import dev.bgservice.os.command.Command;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** One thing an operation did, or in a dry run would do, to the machine. */
public sealed interface Step {

  /** Writes a file, replacing any previous content. */
  record WriteFile(Path path, String content, Charset charset) implements Step {
    /** Checks that no component is null. */
    public WriteFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(charset, "charset");
    }
  }

  /** Deletes a file if it exists. */
  record DeleteFile(Path path) implements Step {
    /** Checks that the path is not null. */
    public DeleteFile {
      Objects.requireNonNull(path, "path");
    }
  }

  /** Creates a directory and its parents if missing. */
  record CreateDirectory(Path path) implements Step {
    /** Checks that the path is not null. */
    public CreateDirectory {
      Objects.requireNonNull(path, "path");
    }
  }

  /** Runs a command (a query runs even in a dry run; a change is only recorded). */
  record RunCommand(Command command) implements Step {
    /** Checks that the command is not null. */
    public RunCommand {
      Objects.requireNonNull(command, "command");
    }
  }

  /** Starts a detached process that outlives this JVM. */
  record SpawnProcess(List<String> argv, Path pidFile) implements Step {
    /** Copies the argument vector. */
    public SpawnProcess {
      argv = List.copyOf(argv);
      Objects.requireNonNull(pidFile, "pidFile");
    }
  }

  /** Stops a process by its id. */
  record StopProcess(long pid) implements Step {}

  /** Something the operation found out or advises, with no effect on the machine. */
  record Note(String text) implements Step {
    /** Checks that the text is not null. */
    public Note {
      Objects.requireNonNull(text, "text");
    }
  }
}
