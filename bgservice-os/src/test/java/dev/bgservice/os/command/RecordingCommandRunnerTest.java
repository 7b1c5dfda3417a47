package dev.bgservice.os.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bgservice.os.OsServiceException;
import org.junit.jupiter.api.Test;

/** The runner of dry runs: real queries, recorded changes, and missing programs tolerated. */
class RecordingCommandRunnerTest {

  private static final String MISSING = "bgservice-no-such-program-4f1c";

  @Test
  void aLiveRunOfAMissingProgramFailsWithItsOwnCode() {
    assertThatThrownBy(() -> CommandRunner.system().run(Command.query(MISSING, "status")))
        .isInstanceOfSatisfying(
            OsServiceException.class,
            e -> assertThat(e.code()).isEqualTo(OsServiceException.PROGRAM_NOT_FOUND))
        .hasMessageContaining("Could not run " + MISSING);
  }

  @Test
  void aDryRunQueryOfAMissingProgramAnswersAsAShellWould() {
    RecordingCommandRunner dryRun = RecordingCommandRunner.dryRun(CommandRunner.system());

    CommandResult result = dryRun.run(Command.query(MISSING, "status"));

    assertThat(result.exitCode()).isEqualTo(CommandResult.PROGRAM_NOT_FOUND);
    assertThat(result.programWasNotFound()).isTrue();
    assertThat(result.firstMessageLine()).startsWith(MISSING + ": not found");
    assertThat(dryRun.commands()).extracting(Command::program).containsExactly(MISSING);
  }

  @Test
  void aDryRunStillRunsQueriesAndOnlyRecordsChanges() {
    RecordingCommandRunner dryRun = RecordingCommandRunner.dryRun(CommandRunner.system());

    CommandResult query = dryRun.run(Command.query("java", "-version"));
    CommandResult change = dryRun.run(Command.change(MISSING, "install"));

    assertThat(query.succeeded()).isTrue();
    assertThat(query.stderr()).contains("version");
    assertThat(change).isEqualTo(CommandResult.success()); // never run: the program is missing
    assertThat(dryRun.commands()).hasSize(2);
  }

  @Test
  void otherFailuresOfADryRunQueryStillEndIt() {
    RecordingCommandRunner dryRun =
        RecordingCommandRunner.dryRun(
            command -> {
              throw new OsServiceException(OsServiceException.COMMAND_FAILED, "timed out");
            });

    assertThatThrownBy(() -> dryRun.run(Command.query("systemctl", "status")))
        .isInstanceOf(OsServiceException.class)
        .hasMessage("timed out");
  }
}
