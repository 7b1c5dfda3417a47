package dev.bgservice.os.command;

import dev.bgservice.os.OsServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Records every command instead of (or before) running it: the runner behind dry runs and
 * tests.
 *
 * <p>Each command is answered by the first matching scripted response; without one, a {@link
 * CommandKind#QUERY} goes to the delegate when there is one (a dry run still reads real state)
 * and everything else "succeeds" with no output. A {@link CommandKind#CHANGE} command is never
 * passed to the delegate. A query whose program cannot be started answers as a shell would
 * ({@link CommandResult#programNotFound}), so that a dry run can print the plan for a service
 * manager this machine does not have: a missing {@code launchctl} reads as "not loaded", a missing
 * {@code sc.exe} as "no such service".
 */
public final class RecordingCommandRunner implements CommandRunner {

  private final Optional<CommandRunner> queryDelegate;
  private final List<Function<Command, Optional<CommandResult>>> responses = new ArrayList<>();
  private final List<Command> recorded = new ArrayList<>();

  private RecordingCommandRunner(Optional<CommandRunner> queryDelegate) {
    this.queryDelegate = queryDelegate;
  }

  /** Runs nothing at all: every command is recorded and succeeds unless scripted otherwise. */
  public static RecordingCommandRunner recordOnly() {
    return new RecordingCommandRunner(Optional.empty());
  }

  /** A dry run: queries run for real through {@code delegate}; changes are only recorded. */
  public static RecordingCommandRunner dryRun(CommandRunner delegate) {
    return new RecordingCommandRunner(Optional.of(Objects.requireNonNull(delegate, "delegate")));
  }

  /**
   * Scripts the answer to every command whose words start with {@code prefix}. Later scripts
   * win over earlier ones, so a test can override a general answer with a specific one.
   */
  public RecordingCommandRunner respond(List<String> prefix, CommandResult result) {
    List<String> words = List.copyOf(prefix);
    Objects.requireNonNull(result, "result");
    synchronized (this) {
      responses.add(
          0,
          command ->
              command.argv().size() >= words.size()
                      && command.argv().subList(0, words.size()).equals(words)
                  ? Optional.of(result)
                  : Optional.empty());
    }
    return this;
  }

  @Override
  public CommandResult run(Command command) {
    List<Function<Command, Optional<CommandResult>>> scripts;
    synchronized (this) {
      recorded.add(command);
      scripts = List.copyOf(responses);
    }
    for (Function<Command, Optional<CommandResult>> script : scripts) {
      Optional<CommandResult> answer = script.apply(command);
      if (answer.isPresent()) {
        return answer.get();
      }
    }
    if (command.kind() == CommandKind.QUERY && queryDelegate.isPresent()) {
      try {
        return queryDelegate.get().run(command);
      } catch (OsServiceException e) {
        if (e.code().equals(OsServiceException.PROGRAM_NOT_FOUND)) {
          return CommandResult.programNotFound(command, e.getMessage());
        }
        throw e;
      }
    }
    return CommandResult.success();
  }

  /** Every command seen so far, in order. */
  public synchronized List<Command> commands() {
    return List.copyOf(recorded);
  }

  /** Every command seen so far that would change the machine, in order. */
  public synchronized List<Command> changes() {
    return recorded.stream().filter(c -> c.kind() == CommandKind.CHANGE).toList();
  }
}
