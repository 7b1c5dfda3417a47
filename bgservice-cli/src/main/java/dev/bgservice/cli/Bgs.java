package dev.bgservice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bgs} command: entry point and subcommand registry. */
@Command(
    name = "bgs",
    mixinStandardHelpOptions = true,
    versionProvider = Bgs.Version.class,
    description = "Runs and controls a bgservice background service.",
    subcommands = {
      ServeCommand.class,
      InstallCommand.class,
      UninstallCommand.class,
      ServiceCommand.class,
      StartCommand.class,
      StopCommand.class,
      IsRunningCommand.class,
      StatusCommand.class,
      EventsCommand.class,
      AutoRestartCommand.class,
      DesiredStateCommand.class,
      ValidateCommand.class,
      CapabilitiesCommand.class,
      DemoCommand.class,
      dev.bgservice.cli.bench.BenchCommand.class
    })
public final class Bgs implements Runnable {

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    // Client commands report failures as one line of their own; library logging stays quiet.
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    System.exit(commandLine().execute(args));
  }

  @picocli.CommandLine.Option(
      names = "--verbose",
      scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Show stack traces of errors.")
  boolean verbose;

  /** The configured command line: exit codes 0 ok, 1 failed, 2 usage, 3 unreachable. */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Bgs());
    withHelp(cl); // every command answers --help, as the usage-error hint promises
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine sub = ex.getCommandLine();
          sub.getErr().println("bgs: " + ex.getMessage());
          sub.getErr().println("Try '" + sub.getCommandSpec().qualifiedName() + " --help'.");
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, sub, parseResult) -> {
          // --verbose may be given at any level, e.g. after 'bgs service start'.
          boolean verbose = parseResult.asCommandLineList().stream()
              .map(CommandLine::getParseResult)
              .anyMatch(p -> p != null && p.hasMatchedOption("--verbose"));
          sub.getErr().println("bgs: " + message(ex));
          if (verbose) {
            ex.printStackTrace(sub.getErr());
          }
          sub.getErr().flush();
          return ex instanceof dev.bgservice.error.BgServiceException b
                  && b.code().equals(dev.bgservice.error.ErrorCode.IPC_UNAVAILABLE)
              ? ExitCodes.UNREACHABLE
              : ExitCodes.FAILED;
        });
    return cl;
  }

  private static void withHelp(CommandLine command) {
    if (!command.getCommandSpec().mixinStandardHelpOptions()) {
      command.getCommandSpec().mixinStandardHelpOptions(true);
    }
    command.getSubcommands().values().forEach(Bgs::withHelp);
  }

  private static String message(Throwable ex) {
    String message = ex.getMessage();
    return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Bgs.class.getPackage().getImplementationVersion();
      return new String[] {"bgs " + (version == null ? "development" : version)};
    }
  }
}
