package dev.bgservice.cli;

import dev.bgservice.error.ErrorCode;
import dev.bgservice.os.OsServiceException;
import dev.bgservice.os.OsServices;
import dev.bgservice.os.ServiceTarget;
import dev.bgservice.os.naming.InvalidLabelException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that acts on an installed OS service through {@link OsServices}.
 *
 * <p>Options that do not go together (a label the manager cannot use, a scope it does not
 * have, a class that cannot be loaded) are usage errors: one line on stderr and exit code 2.
 * A failed operation (a service manager command that failed, a sidecar that did not pass the
 * install probe, a service that is not installed) goes to {@code bgs}'s handler: one line and
 * exit code 1.
 */
abstract class OsServiceCommand implements Callable<Integer> {
  @Mixin OsServiceOptions service = new OsServiceOptions();

  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } catch (ParameterException | InvalidLabelException e) {
      return usage(e.getMessage());
    } catch (OsServiceException e) {
      // The facade refuses combinations its managers cannot do (autostart without a service
      // manager, say) with UNSUPPORTED: the command line asked for something impossible.
      if (e.code().equals(ErrorCode.UNSUPPORTED)) {
        return usage(e.getMessage());
      }
      throw e;
    }
  }

  /** Does the command's work; returns the exit code. */
  abstract int run() throws Exception;

  /** The facade for this command's options. */
  OsServices services() {
    return service.services(spec.commandLine());
  }

  /** The service this command acts on, checked against the manager's rules. */
  ServiceTarget target(OsServices services, boolean dryRun) {
    return service.target(services, dryRun);
  }

  /** A usage error detected after parsing. */
  ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  private int usage(String message) {
    err().println("bgs: " + message);
    err().flush();
    return ExitCodes.USAGE;
  }
}
